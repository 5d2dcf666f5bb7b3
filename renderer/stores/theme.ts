// Light and dark themes. The default follows the system (prefers-color-scheme, live); a choice made in the
// toolbar overrides it and is remembered.
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'flumen.theme';

export const useThemeStore = defineStore('theme', () => {
  const choice = ref<ThemeChoice>((localStorage.getItem(KEY) as ThemeChoice | null) ?? 'system');
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const systemDark = ref(media.matches);
  media.addEventListener('change', (e) => (systemDark.value = e.matches));

  const dark = computed(() => (choice.value === 'system' ? systemDark.value : choice.value === 'dark'));
  watchEffect(() => {
    document.documentElement.dataset.theme = dark.value ? 'dark' : 'light';
  });

  function cycle(): void {
    const order: ThemeChoice[] = ['system', 'light', 'dark'];
    choice.value = order[(order.indexOf(choice.value) + 1) % order.length];
    localStorage.setItem(KEY, choice.value);
  }
  return { choice, dark, cycle };
});

// Entry point: connect to the engine (IPC in the desktop app, WebSocket in a browser), then mount the app.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createApi } from './api/client.ts';
import { setApiConnection } from './api/instance.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/grid.css';
import './styles/panels.css';
import './styles/detail.css';
import './styles/analysis.css';
import './styles/trace-lanes.css';
import './styles/live.css';

setApiConnection(createApi());
createApp(App).use(createPinia()).mount('#app');

// Grouping accuracy (GA) as Loghub defines it (Zhu et al., ICSE-SEIP 2019): a line is correct when the
// set of lines the parser grouped with it is exactly the set of lines sharing its ground-truth event id.
// GA is the fraction of correct lines. Only the grouping counts, never the template text.

export function groupingAccuracy(
  pred: ArrayLike<string | number>,
  truth: ArrayLike<string | number>,
): number {
  if (pred.length !== truth.length)
    throw new Error(`groupingAccuracy: ${pred.length} predictions, ${truth.length} truths`);
  const n = pred.length;
  if (n === 0) return 1;
  const truthSize = new Map<string | number, number>();
  for (let i = 0; i < n; i++) truthSize.set(truth[i], (truthSize.get(truth[i]) ?? 0) + 1);
  // For each predicted group: its size and whether every member shares one truth id.
  const groups = new Map<string | number, { size: number; truth: string | number; pure: boolean }>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(pred[i]);
    if (g === undefined) groups.set(pred[i], { size: 1, truth: truth[i], pure: true });
    else {
      g.size++;
      if (g.truth !== truth[i]) g.pure = false;
    }
  }
  let correct = 0;
  for (const g of groups.values()) if (g.pure && truthSize.get(g.truth) === g.size) correct += g.size;
  return correct / n;
}

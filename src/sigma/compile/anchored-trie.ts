// "Does the text start (or end) with any of these strings?" for long lists of prefixes or suffixes:
// one walk of a trie from the anchored end, at most as many steps as the longest string, instead of
// one comparison per string.

export type AnchoredTest = (text: string) => boolean;

export function buildAnchoredTrie(strings: readonly string[], fromEnd: boolean): AnchoredTest {
  const children: Map<number, number>[] = [new Map()];
  const terminal: boolean[] = [false];
  for (const s of strings) {
    let node = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(fromEnd ? s.length - 1 - i : i);
      let next = children[node]!.get(c);
      if (next === undefined) { next = children.length; children.push(new Map()); terminal.push(false); children[node]!.set(c, next); }
      node = next;
    }
    terminal[node] = true;
  }
  if (terminal[0]) return () => true; // the empty string is a prefix and a suffix of everything
  // Flatten: per node, its children as parallel sorted arrays would be smaller, but nodes with one
  // child dominate; a Map per node keeps lookups O(1) for the wide ones near the root.
  const isTerminal = Uint8Array.from(terminal, (t) => (t ? 1 : 0));
  return (text) => {
    let node = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const next = children[node]!.get(text.charCodeAt(fromEnd ? n - 1 - i : i));
      if (next === undefined) return false;
      if (isTerminal[next] === 1) return true;
      node = next;
    }
    return false;
  };
}

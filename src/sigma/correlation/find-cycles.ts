// Which nodes of a dependency graph lie on a cycle (a self-reference counts). Iterative Tarjan, so a
// long chain of correlations cannot exhaust the call stack.

export function nodesOnCycles(edges: readonly (readonly number[])[]): Set<number> {
  const count = edges.length;
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const onCycle = new Set<number>();
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges[frame.node]!;
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++]!;
        if (target === frame.node) onCycle.add(target);
        if (index[target] === -1) {
          index[target] = low[target] = next++;
          stack.push(target);
          onStack[target] = true;
          work.push({ node: target, edge: 0 });
        } else if (onStack[target]) {
          low[frame.node] = Math.min(low[frame.node]!, index[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) for (const m of component) onCycle.add(m);
      }
    }
  }
  return onCycle;
}

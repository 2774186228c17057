// An intrusive doubly linked list, oldest first. Moving an entry to the end and reading the front are
// O(1); an insertion-ordered Map would do the same with delete + set, but its front fills with deleted
// slots that every look at the front has to skip.

export type Links<T> = { older: T | undefined; newer: T | undefined };
export type LruList<T> = { oldest: T | undefined; newest: T | undefined; size: number };

export function createList<T>(): LruList<T> {
  return { oldest: undefined, newest: undefined, size: 0 };
}

export function createLinks<T>(): Links<T> {
  return { older: undefined, newer: undefined };
}

export function append<T>(list: LruList<T>, item: T, links: (item: T) => Links<T>): void {
  const own = links(item);
  own.older = list.newest;
  own.newer = undefined;
  if (list.newest !== undefined) links(list.newest).newer = item;
  else list.oldest = item;
  list.newest = item;
  list.size++;
}

export function unlink<T>(list: LruList<T>, item: T, links: (item: T) => Links<T>): void {
  const own = links(item);
  if (own.older !== undefined) links(own.older).newer = own.newer;
  else list.oldest = own.newer;
  if (own.newer !== undefined) links(own.newer).older = own.older;
  else list.newest = own.older;
  own.older = undefined;
  own.newer = undefined;
  list.size--;
}

export function moveToNewest<T>(list: LruList<T>, item: T, links: (item: T) => Links<T>): void {
  if (list.newest === item) return;
  unlink(list, item, links);
  append(list, item, links);
}

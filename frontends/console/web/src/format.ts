// Formatting helpers shared by the pages.

export function formatBytes(n: number | undefined): string {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${seconds % 60}s`;
  return `${seconds}s`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

// The last path segment of a key or prefix, for display ("a/b/c.txt" -> "c.txt", "a/b/" -> "b/").
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix;
  const i = trimmed.lastIndexOf('/');
  const name = i < 0 ? trimmed : trimmed.slice(i + 1);
  return keyOrPrefix.endsWith('/') ? `${name}/` : name;
}

// Breadcrumb parts of a prefix: "a/b/" -> [["a", "a/"], ["b", "a/b/"]].
export function prefixParts(prefix: string): [string, string][] {
  const parts: [string, string][] = [];
  let acc = '';
  for (const p of prefix.split('/')) {
    if (!p) continue;
    acc += `${p}/`;
    parts.push([p, acc]);
  }
  return parts;
}

export type SortKey = 'name' | 'size' | 'date';
export interface Row {
  kind: 'folder' | 'object';
  key: string;
  size: number;
  lastModified: string;
}

// Folders first, then objects, each ordered by the chosen column.
export function sortRows(rows: Row[], key: SortKey, descending: boolean): Row[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    let c = 0;
    if (key === 'size') c = a.size - b.size;
    else if (key === 'date') c = a.lastModified.localeCompare(b.lastModified);
    if (c === 0) c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return c * dir;
  });
}

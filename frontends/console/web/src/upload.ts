// Uploads files (and whole folders) into a bucket through the console API, with progress per
// file and overall, and cancel. Small files go in one streamed PUT; files over
// MULTIPART_THRESHOLD go as a multipart upload in PART_SIZE parts, so a large file never has
// to be sent in one request.
import { API, getCsrfToken, query } from './api';

export const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
export const PART_SIZE = 32 * 1024 * 1024;
export const PARALLEL_PARTS = 3;
const CONCURRENT_FILES = 2;

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  id: number;
  key: string;
  size: number;
  loaded: number;
  state: UploadState;
  error?: string;
}

interface Job {
  item: UploadItem;
  file: File;
  xhr?: XMLHttpRequest;
  cancelled: boolean;
  uploadId?: string;
}

function send(
  job: Job,
  method: string,
  url: string,
  body: Blob | string | null,
  contentType: string,
  onProgress: (loaded: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    job.xhr = xhr;
    xhr.open(method, url);
    xhr.setRequestHeader('X-CSRF-Token', getCsrfToken());
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else {
        const msg = (data as { error?: { message?: string } } | null)?.error?.message;
        reject(new Error(msg ?? `HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onabort = () => reject(new Error('cancelled'));
    xhr.send(body);
  });
}

export class Uploader {
  private jobs: Job[] = [];
  private nextId = 1;
  private running = 0;

  constructor(
    private bucket: string,
    private onChange: (items: UploadItem[]) => void,
    private onFileDone: () => void,
  ) {}

  items(): UploadItem[] {
    return this.jobs.map((j) => ({ ...j.item }));
  }

  // Queues files; `key` of each is prefix + its relative path (folders keep their structure).
  add(files: { file: File; path: string }[], prefix: string) {
    for (const { file, path } of files) {
      this.jobs.push({
        item: { id: this.nextId++, key: prefix + path, size: file.size, loaded: 0, state: 'queued' },
        file,
        cancelled: false,
      });
    }
    this.emit();
    this.pump();
  }

  cancel(id?: number) {
    for (const job of this.jobs) {
      if (id !== undefined && job.item.id !== id) continue;
      if (job.item.state === 'queued' || job.item.state === 'uploading') {
        job.cancelled = true;
        job.xhr?.abort();
        if (job.item.state === 'queued') job.item.state = 'cancelled';
      }
    }
    this.emit();
  }

  clearFinished() {
    this.jobs = this.jobs.filter((j) => j.item.state === 'queued' || j.item.state === 'uploading');
    this.emit();
  }

  private emit() {
    this.onChange(this.items());
  }

  private pump() {
    while (this.running < CONCURRENT_FILES) {
      const job = this.jobs.find((j) => j.item.state === 'queued' && !j.cancelled);
      if (!job) return;
      this.running++;
      job.item.state = 'uploading';
      this.emit();
      this.run(job)
        .then(() => {
          job.item.state = 'done';
          job.item.loaded = job.item.size;
          this.onFileDone();
        })
        .catch((e: Error) => {
          job.item.state = job.cancelled ? 'cancelled' : 'failed';
          if (!job.cancelled) job.item.error = e.message;
        })
        .finally(() => {
          this.running--;
          this.emit();
          this.pump();
        });
    }
  }

  private async run(job: Job) {
    const b = encodeURIComponent(this.bucket);
    const type = job.file.type || 'application/octet-stream';
    if (job.file.size <= MULTIPART_THRESHOLD) {
      await send(job, 'PUT', `${API}/buckets/${b}/upload${query({ key: job.item.key })}`, job.file, type, (n) => {
        job.item.loaded = n;
        this.emit();
      });
      return;
    }
    const created = (await send(
      job,
      'POST',
      `${API}/buckets/${b}/multipart${query({ key: job.item.key, contentType: type })}`,
      null,
      'application/json',
      () => {},
    )) as { uploadId: string };
    job.uploadId = created.uploadId;
    const count = Math.ceil(job.file.size / PART_SIZE);
    const parts: { partNumber: number; etag: string }[] = new Array(count);
    const loaded = new Array<number>(count).fill(0);
    const xhrs: XMLHttpRequest[] = [];
    let next = 0;
    let failed = false;
    // PARALLEL_PARTS parts in flight, like S3 clients do, so one file fills the link.
    const worker = async () => {
      const own: Job = { ...job, xhr: undefined };
      while (next < count) {
        const i = next++;
        if (job.cancelled || failed) throw new Error('cancelled');
        const offset = i * PART_SIZE;
        const blob = job.file.slice(offset, Math.min(offset + PART_SIZE, job.file.size));
        const pending = send(
          own,
          'PUT',
          `${API}/buckets/${b}/multipart/part${query({ key: job.item.key, uploadId: job.uploadId, partNumber: i + 1 })}`,
          blob,
          'application/octet-stream',
          (n) => {
            loaded[i] = n;
            job.item.loaded = loaded.reduce((a, c) => a + c, 0);
            this.emit();
          },
        );
        if (own.xhr) xhrs.push(own.xhr);
        let part: { etag: string };
        try {
          part = (await pending) as { etag: string };
        } catch (e) {
          failed = true; // stop the other workers too
          xhrs.forEach((x) => x.abort());
          throw e;
        }
        loaded[i] = blob.size;
        parts[i] = { partNumber: i + 1, etag: part.etag };
      }
    };
    // Cancel aborts every part in flight.
    const abortAll = () => xhrs.forEach((x) => x.abort());
    job.xhr = { abort: abortAll } as unknown as XMLHttpRequest;
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, count) }, worker));
      await send(
        job,
        'POST',
        `${API}/buckets/${b}/multipart/complete${query({ key: job.item.key, uploadId: job.uploadId })}`,
        JSON.stringify({ parts }),
        'application/json',
        () => {},
      );
    } catch (e) {
      // Free the parts already stored.
      await fetch(`${API}/buckets/${b}/multipart${query({ key: job.item.key, uploadId: job.uploadId })}`, {
        method: 'DELETE',
        headers: { 'X-CSRF-Token': getCsrfToken() },
      }).catch(() => undefined);
      throw e;
    }
  }
}

// Files of a drop, walking dropped folders (webkitGetAsEntry) so their structure is kept.
export async function filesFromDrop(dt: DataTransfer): Promise<{ file: File; path: string }[]> {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) {
    return Array.from(dt.files).map((file) => ({ file, path: file.name }));
  }
  const out: { file: File; path: string }[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, path: path + entry.name });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${path}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

// Files chosen with <input type=file> (webkitdirectory keeps the folder's relative paths).
export function filesFromInput(list: FileList | null): { file: File; path: string }[] {
  if (!list) return [];
  return Array.from(list).map((file) => ({
    file,
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}

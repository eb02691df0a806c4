// The console's JSON API client. The session lives in an HttpOnly cookie the browser sends by
// itself; state-changing calls carry the session's CSRF token in X-CSRF-Token.
import type { LifecycleConfiguration } from './lifecycle';
import type { CorsRule, CorsRules } from './corsRules';
import type { Tag } from './tags';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string) {
  csrfToken = token;
}
export function getCsrfToken() {
  return csrfToken;
}
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

export const API = '/api/v1';

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated();
    throw new ApiError(res.status, err?.code ?? 'Error', err?.message ?? res.statusText);
  }
  return data as T;
}

// --- Types of the API's answers ---------------------------------------------------------
export interface Session {
  user: string;
  kind: 'root' | 'user';
  csrfToken: string;
  expiresAt: string;
  // What the caller's policies allow, so the app hides what would only answer 403.
  permissions?: { iam: boolean; config: boolean };
}
export interface IamUser {
  name: string;
  arn: string;
  userId: string;
  createdAt: string;
  enabled: boolean;
  hasPassword: boolean;
  groups: string[];
  policies: string[];
}
export interface AccessKey {
  accessKey: string;
  user: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
  lastUsed: string | null;
  secretKey?: string; // only in the create answer
}
export interface IamGroup {
  name: string;
  arn: string;
  groupId: string;
  createdAt: string;
  members: string[];
  policies: string[];
}
export interface ManagedPolicy {
  name: string;
  arn: string;
  policyId: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  attachments: number;
  document?: string;
}
export type PolicyKind = 'identity' | 'bucket';
export interface PolicyValidation {
  valid: boolean;
  message: string;
}
export interface PublicAccessBlock {
  configured?: boolean;
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}
export interface BucketPolicy {
  bucket: string;
  document: string;
  public?: boolean;
}
export interface Bucket {
  name: string;
  createdAt: string;
  versioning: 'Unversioned' | 'Enabled' | 'Suspended';
  objectLock: boolean;
  objects?: number;
  bytes?: number;
}
export interface BucketDetails extends Bucket {
  objectLockConfig: {
    enabled: boolean;
    defaultRetention?: { mode: LockMode; days: number; years: number };
  };
  // Server access logging (set with S3's PutBucketLogging); the target only for those who may
  // read the configuration.
  logging?: { enabled: boolean; targetBucket?: string; targetPrefix?: string };
}
export type LockMode = 'NONE' | 'GOVERNANCE' | 'COMPLIANCE';
// A bucket's usage counters (kept by the engine with every change).
export interface BucketUsage {
  objects: number;
  bytes: number;
  versions: number;
  versionBytes: number;
  deleteMarkers: number;
  uploads: number;
  parts: number;
  partBytes: number;
  storedBytes: number;
  quotaBytes: number; // what maxBytes limits: every version and upload part
  quotaObjects: number; // what maxObjects limits: every version
}
// Hard limits (0: none) with the usage they are compared with.
export interface BucketQuota {
  bucket: string;
  maxBytes: number;
  maxObjects: number;
  usage: BucketUsage;
}
export interface ObjectEntry {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
}
export interface Listing {
  objects: ObjectEntry[];
  prefixes: string[];
  truncated: boolean;
  nextStartAfter: string;
}
export interface Version {
  key: string;
  versionId: string;
  deleteMarker: boolean;
  isLatest: boolean;
  size: number;
  etag: string;
  lastModified: string;
  retention?: { mode: LockMode; retainUntil: string };
  legalHold?: boolean;
}
export interface ObjectDetails extends Version {
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  storageClass: string;
  partsCount: number;
  checksum?: string;
}
export interface StatsPoint {
  t: number;
  requests: number;
  rate: number;
  errors: number;
  clientErrors: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  bytesIn: number;
  bytesOut: number;
}
export interface Stats {
  stepSeconds: number;
  series: StatsPoint[];
  totals: Omit<StatsPoint, 'rate'>;
}
export interface Info {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  region: string;
  s3Port: number;
  user: string;
  disk?: { totalBytes: number; freeBytes: number };
  usage?: { objects: number; bytes: number };
}

export const Api = {
  login: (user: string, password: string) => api<Session>('POST', '/auth/login', { user, password }),
  logout: () => api<unknown>('POST', '/auth/logout'),
  me: () => api<Session>('GET', '/auth/me'),
  info: () => api<Info>('GET', '/system/info'),
  stats: (step = 10) => api<Stats>('GET', `/system/stats${query({ step })}`),
  config: () => api<{ entries: { key: string; value: string }[] }>('GET', '/system/config'),
  buckets: () => api<{ buckets: Bucket[] }>('GET', '/buckets'),
  bucket: (b: string) => api<BucketDetails>('GET', `/buckets/${encodeURIComponent(b)}`),
  createBucket: (body: {
    name: string;
    versioning: boolean;
    objectLock: boolean;
    retention?: { mode: LockMode; days?: number; years?: number };
  }) => api<Bucket>('POST', '/buckets', body),
  deleteBucket: (b: string) =>
    api<unknown>('DELETE', `/buckets/${encodeURIComponent(b)}${query({ confirm: b })}`),
  putVersioning: (b: string, status: 'Enabled' | 'Suspended') =>
    api<unknown>('PUT', `/buckets/${encodeURIComponent(b)}/versioning`, { status }),
  putObjectLock: (b: string, mode: LockMode, days?: number, years?: number) =>
    api<unknown>('PUT', `/buckets/${encodeURIComponent(b)}/object-lock`, { mode, days, years }),
  list: (b: string, prefix: string, startAfter: string, limit: number) =>
    api<Listing>(
      'GET',
      `/buckets/${encodeURIComponent(b)}/objects${query({ prefix, startAfter, limit, delimiter: '/' })}`,
    ),
  details: (b: string, key: string, versionId?: string) =>
    api<ObjectDetails>('GET', `/buckets/${encodeURIComponent(b)}/object${query({ key, versionId })}`),
  deleteObject: (b: string, key: string, versionId?: string, bypassGovernance?: boolean) =>
    api<unknown>(
      'DELETE',
      `/buckets/${encodeURIComponent(b)}/object${query({ key, versionId, bypassGovernance })}`,
    ),
  deleteMany: (b: string, keys: string[], prefixes: string[]) =>
    api<{ deleted: string[]; errors: { key: string; code: string; message: string }[] }>(
      'POST',
      `/buckets/${encodeURIComponent(b)}/delete`,
      { keys, prefixes },
    ),
  createFolder: (b: string, prefix: string) =>
    api<unknown>('POST', `/buckets/${encodeURIComponent(b)}/folders`, { prefix }),
  rename: (b: string, from: string, to: string) =>
    api<{ moved: number }>('POST', `/buckets/${encodeURIComponent(b)}/rename`, { from, to }),
  versions: (b: string, key: string) =>
    api<{ versions: Version[]; truncated: boolean }>(
      'GET',
      `/buckets/${encodeURIComponent(b)}/versions${query({ key })}`,
    ),
  restore: (b: string, key: string, versionId: string) =>
    api<Version>('POST', `/buckets/${encodeURIComponent(b)}/restore`, { key, versionId }),
  putRetention: (
    b: string,
    key: string,
    versionId: string,
    mode: LockMode,
    retainUntil?: string,
    bypassGovernance?: boolean,
  ) =>
    api<unknown>('PUT', `/buckets/${encodeURIComponent(b)}/retention`, {
      key,
      versionId,
      mode,
      retainUntil,
      bypassGovernance,
    }),
  putLegalHold: (b: string, key: string, versionId: string, on: boolean) =>
    api<unknown>('PUT', `/buckets/${encodeURIComponent(b)}/legal-hold`, { key, versionId, on }),
  lifecycle: (b: string) => api<LifecycleConfiguration>('GET', `/buckets/${encodeURIComponent(b)}/lifecycle`),
  putLifecycle: (b: string, c: LifecycleConfiguration) =>
    api<LifecycleConfiguration>('PUT', `/buckets/${encodeURIComponent(b)}/lifecycle`, c),
  deleteLifecycle: (b: string) => api<unknown>('DELETE', `/buckets/${encodeURIComponent(b)}/lifecycle`),
  quota: (b: string) => api<BucketQuota>('GET', `/buckets/${encodeURIComponent(b)}/quota`),
  putQuota: (b: string, maxBytes: number, maxObjects: number) =>
    api<BucketQuota>('PUT', `/buckets/${encodeURIComponent(b)}/quota`, { maxBytes, maxObjects }),
  deleteQuota: (b: string) => api<BucketQuota>('DELETE', `/buckets/${encodeURIComponent(b)}/quota`),
  share: (b: string, key: string, versionId: string | undefined, expiresSeconds: number) =>
    api<{ url: string; expiresAt: string }>('POST', `/buckets/${encodeURIComponent(b)}/share`, {
      key,
      versionId,
      expiresSeconds,
    }),
};

const seg = encodeURIComponent;

// Identity and access management.
export const Iam = {
  users: () => api<{ users: IamUser[] }>('GET', '/users'),
  user: (u: string) => api<IamUser>('GET', `/users/${seg(u)}`),
  createUser: (name: string) => api<IamUser>('POST', '/users', { name }),
  setUserEnabled: (u: string, enabled: boolean) => api<IamUser>('PUT', `/users/${seg(u)}/enabled`, { enabled }),
  deleteUser: (u: string, force = true) => api<unknown>('DELETE', `/users/${seg(u)}${query({ force: force ? 1 : undefined })}`),
  keys: (u: string) => api<{ keys: AccessKey[] }>('GET', `/users/${seg(u)}/keys`),
  createKey: (u: string) => api<AccessKey>('POST', `/users/${seg(u)}/keys`),
  setKeyStatus: (u: string, k: string, status: 'Active' | 'Inactive') =>
    api<unknown>('PUT', `/users/${seg(u)}/keys/${seg(k)}`, { status }),
  deleteKey: (u: string, k: string) => api<unknown>('DELETE', `/users/${seg(u)}/keys/${seg(k)}`),
  setPassword: (u: string, password: string) => api<unknown>('PUT', `/users/${seg(u)}/password`, { password }),
  deletePassword: (u: string) => api<unknown>('DELETE', `/users/${seg(u)}/password`),
  attachUserPolicy: (u: string, p: string) => api<unknown>('PUT', `/users/${seg(u)}/policies/${seg(p)}`),
  detachUserPolicy: (u: string, p: string) => api<unknown>('DELETE', `/users/${seg(u)}/policies/${seg(p)}`),
  groups: () => api<{ groups: IamGroup[] }>('GET', '/groups'),
  group: (g: string) => api<IamGroup>('GET', `/groups/${seg(g)}`),
  createGroup: (name: string) => api<IamGroup>('POST', '/groups', { name }),
  deleteGroup: (g: string, force = true) => api<unknown>('DELETE', `/groups/${seg(g)}${query({ force: force ? 1 : undefined })}`),
  addMember: (g: string, u: string) => api<IamGroup>('PUT', `/groups/${seg(g)}/members/${seg(u)}`),
  removeMember: (g: string, u: string) => api<IamGroup>('DELETE', `/groups/${seg(g)}/members/${seg(u)}`),
  attachGroupPolicy: (g: string, p: string) => api<IamGroup>('PUT', `/groups/${seg(g)}/policies/${seg(p)}`),
  detachGroupPolicy: (g: string, p: string) => api<IamGroup>('DELETE', `/groups/${seg(g)}/policies/${seg(p)}`),
  policies: () => api<{ policies: ManagedPolicy[] }>('GET', '/policies'),
  policy: (p: string) => api<ManagedPolicy>('GET', `/policies/${seg(p)}`),
  createPolicy: (name: string, document: string, description: string) =>
    api<ManagedPolicy>('POST', '/policies', { name, document, description }),
  updatePolicy: (p: string, document: string) => api<ManagedPolicy>('PUT', `/policies/${seg(p)}`, { document }),
  deletePolicy: (p: string) => api<unknown>('DELETE', `/policies/${seg(p)}`),
  validate: (document: string, kind: PolicyKind, bucket?: string) =>
    api<PolicyValidation>('POST', '/policies/validate', { document, kind, bucket }),
  bucketPolicy: (b: string) => api<BucketPolicy>('GET', `/buckets/${seg(b)}/policy`),
  putBucketPolicy: (b: string, document: string) => api<BucketPolicy>('PUT', `/buckets/${seg(b)}/policy`, { document }),
  deleteBucketPolicy: (b: string) => api<unknown>('DELETE', `/buckets/${seg(b)}/policy`),
  publicAccessBlock: (b: string) => api<PublicAccessBlock>('GET', `/buckets/${seg(b)}/public-access-block`),
  putPublicAccessBlock: (b: string, cfg: PublicAccessBlock) =>
    api<PublicAccessBlock>('PUT', `/buckets/${seg(b)}/public-access-block`, {
      blockPublicAcls: cfg.blockPublicAcls,
      ignorePublicAcls: cfg.ignorePublicAcls,
      blockPublicPolicy: cfg.blockPublicPolicy,
      restrictPublicBuckets: cfg.restrictPublicBuckets,
    }),
};

// A bucket's CORS rules (corsRules.ts has the shape).
export const Cors = {
  get: (b: string) => api<CorsRules>('GET', `/buckets/${seg(b)}/cors`),
  put: (b: string, rules: CorsRule[]) => api<CorsRules>('PUT', `/buckets/${seg(b)}/cors`, { rules }),
  remove: (b: string) => api<CorsRules>('DELETE', `/buckets/${seg(b)}/cors`),
};

export function downloadUrl(b: string, key: string, versionId?: string, inline = false): string {
  return `${API}/buckets/${encodeURIComponent(b)}/download${query({
    key,
    versionId,
    inline: inline ? 1 : undefined,
  })}`;
}

// Tags of a bucket and of an object's current version (tags.ts has the shape and S3's limits).
interface TagsAnswer {
  tags: Tag[];
}
export const Tags = {
  bucket: (b: string) => api<TagsAnswer>('GET', `/buckets/${seg(b)}/tags`).then((r) => r.tags),
  putBucket: (b: string, tags: Tag[]) => api<TagsAnswer>('PUT', `/buckets/${seg(b)}/tags`, { tags }).then((r) => r.tags),
  object: (b: string, key: string) => api<TagsAnswer>('GET', `/buckets/${seg(b)}/object-tags${query({ key })}`).then((r) => r.tags),
  putObject: (b: string, key: string, tags: Tag[]) =>
    api<TagsAnswer>('PUT', `/buckets/${seg(b)}/object-tags${query({ key })}`, { tags }).then((r) => r.tags),
};

// Type declarations of the Portcullis JavaScript client (portcullis.js).

/** Anything with localStorage's three methods. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A DRF token session. */
export interface TokenSession {
  token: string;
}

/** A JWT session: the pair, and when this browser received it (ms since the epoch). */
export interface JwtSession {
  access: string;
  refresh: string;
  obtainedAt?: number;
}

export type Session = TokenSession | JwtSession;

export interface SessionChange {
  /** `storage`: another tab logged in, out, or refreshed the pair. */
  type: 'login' | 'logout' | 'refresh' | 'unauthorized' | 'storage';
  authenticated: boolean;
}

/** The part of the Web Locks API the client uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown | null) => Promise<T>): Promise<T>;
}

export interface ClientOptions {
  /** The API's origin (and path prefix), e.g. `http://localhost:8000`. Default: this page's origin. */
  baseUrl?: string;
  /** Where the session is kept. Default: `localStorage` (memory when unavailable). */
  storage?: StorageLike;
  /** The storage key. Default: `portcullis.auth`. */
  storageKey?: string;
  /** How `login` authenticates: DRF/djoser token or simplejwt pair. Default: `token`. */
  auth?: 'token' | 'jwt';
  /** Called when the API answers 401 to an authenticated request (the session is already forgotten). */
  onUnauthorized?: (error: ApiError) => void;
  /** Where resources live. Default: `/api/`. */
  apiPrefix?: string;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * How tabs agree on who refreshes a JWT: a LockManager (default `navigator.locks`), `'storage'`
   * (a lease in storage; the default where Web Locks are missing) or `false` (none; a tab that
   * loses the race still picks up the winner's pair from storage).
   */
  locks?: LockManagerLike | 'storage' | false;
  /** Refresh the access token this many seconds before it expires (at most a fifth of its lifetime). Default: 30. */
  refreshMargin?: number;
  /** The keyword sent before an access token: the server's `[jwt] auth_header_types[0]` (simplejwt's `AUTH_HEADER_TYPES`). Default: `Bearer`. */
  jwtHeaderType?: string;
  /** The field `/auth/jwt/create/` reads: the server's `[user_model] username_field` (Django's `USERNAME_FIELD`). Default: `username`. */
  usernameField?: 'username' | 'email';
  /** The field `/auth/token/login/` reads: the server's `[djoser] login_field` (djoser's `LOGIN_FIELD`). Default: `usernameField`. */
  loginField?: 'username' | 'email';
}

/** How the server paginates a list: DRF's pagination classes, or none (a plain array). */
export type PageStyle = 'none' | 'page-number' | 'limit-offset' | 'cursor';

/**
 * One page of a DRF list in any pagination style, and the page number asked for. A plain array
 * is one page holding every row; a cursor page has no `count` (null).
 */
export interface Page<T = Record<string, unknown>> {
  count: number | null;
  next: string | null;
  previous: string | null;
  results: T[];
  page: number;
  style: PageStyle;
}

export type FilterValue = string | number | boolean | null | undefined;

export interface ListOptions {
  /** 1-based page number (`?page=`). */
  page?: number;
  /** `?search=` */
  search?: string;
  /** `?ordering=`: `title`, `-created_at`, or several fields. */
  ordering?: string | string[];
  /** Field filters, e.g. `{ is_public: true }`; empty values are left out, arrays repeat the parameter. */
  filters?: Record<string, FilterValue | FilterValue[]>;
}

export interface Resource<T = Record<string, unknown>> {
  list(options?: ListOptions): Promise<Page<T>>;
  get(id: string | number): Promise<T>;
  create(data: Partial<T>): Promise<T>;
  /** PUT: every writable field. */
  update(id: string | number, data: Partial<T>): Promise<T>;
  /** PATCH: only the given fields. */
  patch(id: string | number, data: Partial<T>): Promise<T>;
  /** Resolves to null (204). */
  delete(id: string | number): Promise<null>;
}

export interface User {
  id: number;
  username: string;
  email: string;
  [field: string]: unknown;
}

export interface Note {
  id: number;
  title: string;
  body: string;
  is_public: boolean;
  owner: string;
  created_at: string;
  updated_at: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Send the stored credential and handle 401s (default true). */
  auth?: boolean;
}

export interface Client {
  readonly auth: 'token' | 'jwt';
  readonly storageKey: string;
  register(fields: { username: string; password: string; email?: string; [field: string]: unknown }): Promise<User>;
  login(username: string, password: string): Promise<Session>;
  logout(): Promise<void>;
  logoutAll(): Promise<void>;
  me(): Promise<User>;
  changePassword(currentPassword: string, newPassword: string): Promise<null>;
  resource<T = Record<string, unknown>>(name: string): Resource<T>;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  isAuthenticated(): boolean;
  getSession(): Session | null;
  setSession(session: Session | null): void;
  authorizationHeader(): Promise<string | null>;
  onSessionChange(listener: (change: SessionChange) => void): () => void;
}

export function createClient(options?: ClientOptions): Client;

/** The payload of a JWT (not verified), or null. */
export function decodeJwtPayload(token: string): { exp?: number; iat?: number; [claim: string]: unknown } | null;

/** An error answer of the API in DRF's terms; status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(status: number, body: unknown, fallback?: string);
  name: 'ApiError';
  status: number;
  /** `{"detail": "..."}` */
  detail: string | null;
  /** simplejwt's error code, e.g. `token_not_valid`. */
  code: string | null;
  /** `{"title": ["Ensure this field has no more than 200 characters."]}` */
  fieldErrors: Record<string, string[]>;
  /** `non_field_errors` (`nonFieldErrors` from a camelCase server) */
  nonFieldErrors: string[];
  /** The body as received (parsed JSON, or text). */
  body: unknown;
}

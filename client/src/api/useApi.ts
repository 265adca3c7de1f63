import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';

/** An answer other than 2xx, with the server's own message and body when it gave them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The parsed JSON body, for answers that carry more than a message (an import cut short). */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/** Why a load failed, and whether asking again could succeed. */
export interface LoadError {
  message: string;
  /**
   * No answer at all (the network), a 5xx, 408 or 429: asking again may succeed. Any other
   * answer (a 400 for the filters, a 404 for a missing incident) would only be given again.
   */
  retryable: boolean;
}

/** Statuses a later try may not meet again: the server failed, timed out or was busy. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * The LoadError for what a fetch threw: an ApiError by its status, anything else (no answer)
 * retryable, said as such, since the browser's own words ("Failed to fetch") name no server.
 */
export function loadErrorOf(caught: unknown): LoadError {
  if (caught instanceof ApiError) return { message: caught.message, retryable: isRetryableStatus(caught.status) };
  const reason = caught instanceof Error ? caught.message : String(caught);
  return { message: `No answer from the server (${reason})`, retryable: true };
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: fall back to the status, said as a sentence.
  }
  const raw = (body as { message?: unknown } | null)?.message;
  const message = Array.isArray(raw) ? raw.join('; ') : raw;
  if (typeof message === 'string' && message) return new ApiError(response.status, message, body);
  return new ApiError(response.status, bareStatusMessage(response.status, response.statusText), body);
}

/**
 * What a card says for an answer without a message of the server's own (a proxy's error page, an
 * empty body): the status, said as a sentence, since "404 Not Found" alone reads as a figure.
 * HTTP/2 carries no reason phrase, so the status may come alone.
 */
export function bareStatusMessage(status: number, statusText: string): string {
  const line = `${status} ${statusText.trim()}`.trim();
  return `The server answered ${line}, without saying why`;
}

/** Calls the API and parses its JSON; throws ApiError on a non-2xx answer. */
export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** Sends a JSON body with the given method. */
export function apiSend<T>(path: string, method: 'POST' | 'PUT', body: unknown): Promise<T> {
  return apiFetch<T>(path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Builds `/api/<path>?<params>`, leaving out empty parameters. */
export function apiUrl(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return `/api/${path}${text ? `?${text}` : ''}`;
}

export interface UseApiResult<T> {
  /** The last answer; kept while a new one loads so charts do not flash empty. */
  data: ShallowRef<T | null>;
  error: Ref<LoadError | null>;
  loading: Ref<boolean>;
  /** Asks again for the current URL. */
  reload: () => Promise<void>;
}

/**
 * Fetches `url` whenever it changes (null: fetch nothing), cancelling an answer still on its way
 * so a slow old answer never overwrites a newer one.
 */
export function useApi<T>(url: Ref<string | null>): UseApiResult<T> {
  const data = shallowRef<T | null>(null);
  const error = ref<LoadError | null>(null);
  const loading = ref(false);
  let controller: AbortController | undefined;

  async function load(): Promise<void> {
    controller?.abort();
    const target = url.value;
    if (target === null) {
      data.value = null;
      loading.value = false;
      return;
    }
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    try {
      const answer = await apiFetch<T>(target, { signal: current.signal });
      if (controller === current) data.value = answer;
    } catch (caught) {
      if (current.signal.aborted) return;
      error.value = loadErrorOf(caught);
      data.value = null;
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  watch(url, () => void load(), { immediate: true });
  onScopeDispose(() => controller?.abort());
  return { data, error, loading, reload: load };
}

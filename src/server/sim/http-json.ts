// JSON over real HTTP (fetch on loopback) for the simulator's agents and its operator.
export type HttpResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; message: string };

export async function postJson<T>(url: string, body: unknown, bearer?: string): Promise<HttpResult<T>> {
  return request<T>(url, { method: 'POST', body: JSON.stringify(body ?? {}), headers: headers(bearer, true) });
}

export async function getJson<T>(url: string, bearer?: string): Promise<HttpResult<T>> {
  return request<T>(url, { method: 'GET', headers: headers(bearer, false) });
}

async function request<T>(url: string, init: RequestInit): Promise<HttpResult<T>> {
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) {
      const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? text;
      return { ok: false, status: response.status, message };
    }
    return { ok: true, status: response.status, body: parsed as T };
  } catch (error) {
    return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) };
  }
}

function headers(bearer: string | undefined, json: boolean): Record<string, string> {
  return { ...(json ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
}

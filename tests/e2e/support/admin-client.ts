/** The admin API as the console uses it: session cookie + CSRF header. */
export interface AdminClient {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body: unknown): Promise<T>;
  delete<T = unknown>(path: string): Promise<T>;
  put<T = unknown>(path: string, body: unknown): Promise<T>;
  /** A raw body (a file: the register's CSV). */
  postBody<T = unknown>(path: string, body: string, contentType: string): Promise<T>;
}

export async function loginAdmin(serverUrl: string, username: string, password: string): Promise<AdminClient> {
  const login = await fetch(`${serverUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  async function call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const raw = contentType !== 'application/json';
    const response = await fetch(`${serverUrl}/api/admin${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
    });
    const data = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(data)}`);
    return data;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    delete: (path) => call('DELETE', path),
    put: (path, body) => call('PUT', path, body),
    postBody: (path, body, contentType) => call('POST', path, body, contentType),
  };
}

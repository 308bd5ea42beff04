// JSON over REST: the proxy's routes, with the bearer token on every call.
import { fetchUtils } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { token } from './auth.js';

export const PROVIDERS = [
  { id: 'pressone', label: 'PressOne' },
  { id: 'pngme', label: 'Pngme' },
  { id: 'nameshield', label: 'Nameshield' },
  { id: 'rebilly', label: 'Rebilly' },
  { id: 'activeplatform', label: 'ActivePlatform' },
];

const httpClient = (url, options = {}) => {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  if (token()) headers.set('Authorization', `Bearer ${token()}`);
  return fetchUtils.fetchJson(url, { ...options, headers });
};

const rest = simpleRestProvider('/api/p', httpClient, 'X-Total-Count');

// Each provider is a resource whose list lives at /api/p/{id}/users.
const route = (resource) => `${resource}/users`;

export const dataProvider = {
  ...rest,
  getList: (resource, params) => rest.getList(route(resource), params),
  getOne: (resource, params) => rest.getOne(route(resource), params),
  getMany: (resource, params) => rest.getMany(route(resource), params),
  async getProviders() {
    const { json } = await httpClient('/api/providers');
    return json.providers;
  },
};

// Sign-in with a bearer token, as the console's: the token is kept for the session and sent on
// every API call; a 401 signs out.
const KEY = 'userdeck-peer-token';

export const token = () => sessionStorage.getItem(KEY);

export const authProvider = {
  async login({ token: value }) {
    if (!value || value.trim().length < 12) throw new Error('Use the admin token (12 characters or more).');
    sessionStorage.setItem(KEY, value.trim());
  },
  async logout() {
    sessionStorage.removeItem(KEY);
  },
  async checkAuth() {
    if (!token()) throw new Error('Sign in first.');
  },
  async checkError(error) {
    if (error?.status === 401 || error?.status === 403) {
      sessionStorage.removeItem(KEY);
      throw new Error('Signed out.');
    }
  },
  async getIdentity() {
    return { id: 'admin', fullName: 'Admin' };
  },
  async getPermissions() {
    return null;
  },
};

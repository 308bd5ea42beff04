// A react-admin console with the scope of Userdeck's: sign-in with a bearer token, a home page
// listing the providers, a users list per provider and a detail view, light and dark themes.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Admin,
  Resource,
  Title,
  defaultDarkTheme,
  defaultTheme,
  useDataProvider,
  useLogin,
  useNotify,
} from 'react-admin';
import { Button, Card, CardContent, List, ListItemButton, ListItemText, TextField, Typography } from '@mui/material';
import { authProvider } from './auth.js';
import { PROVIDERS, dataProvider } from './data.js';
import { UserList, UserShow } from './users.jsx';

function SignIn() {
  const [token, setToken] = useState('');
  const login = useLogin();
  const notify = useNotify();
  const submit = (event) => {
    event.preventDefault();
    login({ token }).catch((err) => notify(err.message, { type: 'error' }));
  };
  return (
    <Card component="form" onSubmit={submit} sx={{ maxWidth: 360, mx: 'auto', mt: 12 }}>
      <CardContent>
        <Typography variant="h5" gutterBottom>
          Sign in to Userdeck
        </Typography>
        <TextField
          label="Admin token"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          fullWidth
          margin="normal"
        />
        <Button type="submit" variant="contained" fullWidth>
          Sign in
        </Button>
      </CardContent>
    </Card>
  );
}

function Home() {
  const data = useDataProvider();
  const [providers, setProviders] = useState([]);
  useEffect(() => {
    data.getProviders().then(setProviders, () => setProviders([]));
  }, [data]);
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Providers" />
      <List>
        {providers.map((p) => (
          <ListItemButton key={p.id} component="a" href={`#/${p.id}`}>
            <ListItemText primary={p.label} secondary={p.kind} />
          </ListItemButton>
        ))}
      </List>
    </Card>
  );
}

createRoot(document.getElementById('root')).render(
  <Admin
    title="Userdeck"
    authProvider={authProvider}
    dataProvider={dataProvider}
    loginPage={SignIn}
    dashboard={Home}
    theme={defaultTheme}
    darkTheme={defaultDarkTheme}
    requireAuth
  >
    {PROVIDERS.map((p) => (
      <Resource key={p.id} name={p.id} options={{ label: p.label }} list={UserList} show={UserShow} />
    ))}
  </Admin>,
);

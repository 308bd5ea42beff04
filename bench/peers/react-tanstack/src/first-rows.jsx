// The peer of Userdeck's provider page: React 19 and TanStack Table 8 fetch the same route of
// the same demo proxy (the page is served next to it, with /api proxied) and render the same
// columns as the console's Rebilly table.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';

const ROUTE = '/api/p/rebilly/users';

const when = (text) => (text ? new Date(text).toISOString().slice(0, 16).replace('T', ' ') : '');
const name = (u) =>
  [u.firstName, u.lastName].map((s) => (s ?? '').trim()).filter(Boolean).join(' ') || u.email || u.id;
const phone = (u) => [u.businessPhone, u.mobilePhone].filter(Boolean).join(', ');

const columns = [
  { id: 'name', header: 'Name', accessorFn: name },
  { id: 'email', header: 'E-mail', accessorKey: 'email' },
  { id: 'phone', header: 'Phone', accessorFn: phone },
  {
    id: 'status',
    header: 'Status',
    accessorKey: 'status',
    cell: (info) => <span className={`badge badge-${info.getValue()}`}>{info.getValue()}</span>,
  },
  { id: 'created', header: 'Created', accessorFn: (u) => when(u.createdTime) },
  { id: 'updated', header: 'Updated', accessorFn: (u) => when(u.updatedTime) },
  { id: 'lastLogin', header: 'Last login', accessorFn: (u) => when(u.loginTime) },
  { id: 'id', header: 'Id', accessorKey: 'id' },
  { id: 'country', header: 'Country', accessorKey: 'country' },
];

function Users() {
  const [users, setUsers] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const params = new URLSearchParams({
      limit: query.get('limit') ?? '25',
      offset: query.get('offset') ?? '0',
    });
    fetch(`${ROUTE}?${params}`, { headers: { Accept: 'application/json' } })
      .then((response) => {
        if (!response.ok) throw new Error(`Rebilly answered ${response.status}`);
        return response.json();
      })
      .then(setUsers, (err) => setError(err.message));
  }, []);
  const table = useReactTable({ data: users, columns, getCoreRowModel: getCoreRowModel() });
  if (error) return <p role="alert">{error}</p>;
  return (
    <table>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <main>
      <h1>Rebilly users</h1>
      <Users />
    </main>
  </StrictMode>,
);

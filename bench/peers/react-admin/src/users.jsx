// The users table (sortable headers, search, filter chips, page sizes, pagination, status and
// subscription chips) and the detail view with the raw JSON.
import {
  Datagrid,
  DateField,
  EmailField,
  FunctionField,
  List,
  Pagination,
  SearchInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  useListContext,
  useRecordContext,
} from 'react-admin';
import { Box, Chip, Stack } from '@mui/material';

const STATUSES = ['active', 'inactive', 'pending'];
const STATUS_COLOURS = { active: 'success', inactive: 'default', pending: 'warning' };

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={STATUSES.map((s) => ({ id: s, name: s }))} />,
];

function StatusChip() {
  const record = useRecordContext();
  if (!record?.status) return null;
  return <Chip size="small" label={record.status} color={STATUS_COLOURS[record.status] ?? 'default'} />;
}

function SubscriptionChip() {
  const record = useRecordContext();
  const plan = record?.subscription?.plan;
  if (!plan) return null;
  return <Chip size="small" variant="outlined" label={record.subscription.isActive ? plan : `${plan} (ended)`} />;
}

function FilterChips() {
  const { filterValues, setFilters } = useListContext();
  return (
    <Stack direction="row" spacing={1} sx={{ px: 2, py: 1 }}>
      {STATUSES.map((status) => (
        <Chip
          key={status}
          label={status}
          color={filterValues.status === status ? 'primary' : 'default'}
          onClick={() => setFilters({ ...filterValues, status: filterValues.status === status ? undefined : status })}
        />
      ))}
    </Stack>
  );
}

export function UserList() {
  return (
    <List
      filters={filters}
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50, 100]} />}
      sort={{ field: 'name', order: 'ASC' }}
    >
      <FilterChips />
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" />
        <EmailField source="email" />
        <TextField source="phone" sortable={false} />
        <FunctionField source="status" render={() => <StatusChip />} />
        <FunctionField source="subscription" label="Subscription" render={() => <SubscriptionChip />} />
        <DateField source="created" showTime />
        <DateField source="updated" showTime />
        <DateField source="lastLogin" label="Last login" showTime />
      </Datagrid>
    </List>
  );
}

function RawJson() {
  const record = useRecordContext();
  return (
    <Box component="pre" sx={{ overflow: 'auto', fontSize: 12 }}>
      {JSON.stringify(record, null, 2)}
    </Box>
  );
}

export function UserShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <EmailField source="email" />
        <TextField source="phone" />
        <FunctionField source="status" render={() => <StatusChip />} />
        <FunctionField source="subscription" render={() => <SubscriptionChip />} />
        <DateField source="created" showTime />
        <DateField source="lastLogin" showTime />
        <FunctionField label="Raw JSON" render={() => <RawJson />} />
      </SimpleShowLayout>
    </Show>
  );
}

import { useState } from "react";
import { can, useMe } from "../../session/me";
import { AddUserForm } from "./AddUserForm";
import { TextingSettingsForm } from "./TextingSettingsForm";
import { UserTable } from "./UserTable";
import { useUsers } from "./queries";
import { LoadFailed } from "../../components/LoadFailed";

export function UsersScreen() {
  const me = useMe().data!;
  const users = useUsers();
  const [added, setAdded] = useState<string | null>(null);
  return (
    <section className="users-screen" aria-labelledby="users-title">
      <div className="screen-header">
        <h1 id="users-title">Users and settings</h1>
      </div>
      <div className="panel">
        <h2>Users</h2>
        {added && <p className="sent-note" role="status">{added} was added.</p>}
        {users.isPending ? (
          <p className="list-state" role="status"><span className="spinner" aria-hidden="true" /> Loading the users…</p>
        ) : users.isError ? (
          <LoadFailed className="list-state" what="The users" error={users.error} onRetry={() => users.refetch()} />
        ) : (
          <UserTable users={users.data} me={me} />
        )}
      </div>
      {can(me, "POST /api/users") && (
        <div className="panel">
          <AddUserForm me={me} onAdded={setAdded} />
        </div>
      )}
      {can(me, "GET /api/messages/settings") && (
        <div className="panel">
          <TextingSettingsForm canSave={can(me, "PUT /api/messages/settings")} />
        </div>
      )}
    </section>
  );
}

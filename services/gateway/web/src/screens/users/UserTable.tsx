import { useState } from "react";
import { formatPhone } from "../../format/phone";
import type { Me } from "../../session/me";
import { ROLE_WORDS, type Role } from "./AddUserForm";
import { useChangeUser, type User, type UserChange } from "./queries";

type Refusal = { userId: string; words: string };

function UserRow({ user, me, onRefused }: { user: User; me: Me; onRefused: (refusal: Refusal | null) => void }) {
  const change = useChangeUser();
  const you = user.id === me.id;
  function apply(what: string, patch: UserChange) {
    onRefused(null);
    change.mutate({ userId: user.id, change: patch }, { onError: (error) => onRefused({ userId: user.id, words: `Could not ${what}: ${error.message}` }) });
  }
  const roles = (Object.keys(ROLE_WORDS) as Role[]).filter((role) => role !== "owner" || me.role === "owner" || user.role === "owner");
  return (
    <tr className={user.active ? undefined : "inactive"}>
      <td>
        <span className="user-name">{user.name}{you && <span className="muted"> (you)</span>}</span>
        <span className="muted user-email">{user.email}</span>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>Role of {user.name}</label>
        <select id={`role-${user.id}`} value={user.role} disabled={change.isPending}
          onChange={(event) => apply(`change ${user.name}'s role`, { role: event.target.value as Role })}>
          {roles.map((role) => <option key={role} value={role}>{ROLE_WORDS[role]}</option>)}
        </select>
      </td>
      <td>{user.active ? <span className="pill ok">Active</span> : <span className="pill">Deactivated</span>}</td>
      <td>{user.primary_cell ? <span title={user.primary_cell}>{formatPhone(user.primary_cell)}</span> : <span className="muted">No cell</span>}</td>
      <td>
        <button type="button" disabled={change.isPending}
          onClick={() => apply(user.active ? `deactivate ${user.name}` : `reactivate ${user.name}`, { active: !user.active })}>
          {user.active ? `Deactivate ${user.name}` : `Reactivate ${user.name}`}
        </button>
      </td>
    </tr>
  );
}

export function UserTable({ users, me }: { users: User[]; me: Me }) {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  return (
    <>
      {refusal && <p className="form-error" role="alert">{refusal.words}</p>}
      <div className="table-scroll">
        <table className="users">
          <caption className="visually-hidden">The account's users</caption>
          <thead>
            <tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Primary cell</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {users.map((user) => <UserRow key={user.id} user={user} me={me} onRefused={setRefusal} />)}
          </tbody>
        </table>
      </div>
    </>
  );
}

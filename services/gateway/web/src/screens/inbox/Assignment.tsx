import { can, type Me } from "../../session/me";
import { useAssign, useClaim, useUserNames, type Conversation } from "./queries";
import { assignmentWords } from "./words";

export function Assignment({ conversation, me }: { conversation: Conversation; me: Me }) {
  const { users, names } = useUserNames(me);
  const claim = useClaim();
  const assign = useAssign();
  const id = conversation.conversation_id;
  const canClaim = can(me, "POST /api/conversations/{conversation_id}/claim") && conversation.unassigned && conversation.assigned_user_id !== me.id;
  const canAssign = can(me, "POST /api/conversations/{conversation_id}/assign");
  const error = claim.error ?? assign.error;
  return (
    <div className="assignment">
      <span>{assignmentWords(conversation, me.id, names)}</span>
      {canClaim && (
        <button type="button" disabled={claim.isPending} onClick={() => claim.mutate({ conversationId: id, value: null })}>
          {claim.isPending ? "Claiming…" : "Claim it"}
        </button>
      )}
      {canAssign && (
        <label className="assign-to">
          <span>Assign to</span>
          <select value={conversation.assigned_user_id ?? ""} disabled={assign.isPending}
            onChange={(event) => assign.mutate({ conversationId: id, value: event.target.value || null })}>
            <option value="">Nobody (unassigned)</option>
            {users.filter((user) => user.active || user.id === conversation.assigned_user_id).map((user) => (
              <option key={user.id} value={user.id}>{user.id === me.id ? `${user.name} (you)` : user.name}</option>
            ))}
          </select>
        </label>
      )}
      {error && <p className="form-error" role="alert">{error.message}</p>}
    </div>
  );
}

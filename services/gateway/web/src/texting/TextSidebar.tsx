// The text sidebar: a side sheet over the screen for one person (chain + composer) or for a
// selection (who will be texted, then the bulk send's progress). Loaded only when opened.
import * as Dialog from "@radix-ui/react-dialog";
import { fullName } from "../screens/contacts/columns";
import { BulkTextPanel } from "./BulkTextPanel";
import { useContact } from "./queries";
import { TextPanel } from "./TextPanel";

export type TextTarget =
  | { kind: "one"; contactId: string }
  | { kind: "ids"; contactIds: string[] }
  | { kind: "all"; filter: Record<string, unknown>; count: number }
  | { kind: "unknown" };

function Title({ target }: { target: TextTarget }) {
  const contact = useContact(target.kind === "one" ? target.contactId : undefined);
  if (target.kind === "one") return <>Text {contact.data ? fullName(contact.data) : "…"}</>;
  if (target.kind === "ids") return <>Text {target.contactIds.length.toLocaleString()} selected people</>;
  if (target.kind === "all") return <>Text all {target.count.toLocaleString()} matching</>;
  return <>Text</>;
}

function Body({ target }: { target: TextTarget }) {
  if (target.kind === "one") return <TextPanel contactId={target.contactId} />;
  if (target.kind === "ids") return <BulkTextPanel selection={{ contactIds: target.contactIds }} count={target.contactIds.length} />;
  if (target.kind === "all") return <BulkTextPanel selection={{ filter: target.filter }} count={target.count} />;
  return <p className="muted">The people ticked for this text are no longer known here: tick them in the grid again.</p>;
}

export default function TextSidebar({ target, onClose }: { target: TextTarget; onClose: () => void }) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="sheet-overlay" />
        <Dialog.Content className="side-sheet" aria-describedby={undefined}>
          <div className="sheet-header">
            <Dialog.Title className="sheet-title"><Title target={target} /></Dialog.Title>
            <Dialog.Close className="sheet-close" aria-label="Close the text sidebar">×</Dialog.Close>
          </div>
          <Body target={target} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

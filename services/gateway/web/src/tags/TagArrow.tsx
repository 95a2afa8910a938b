// The small arrow beside a person's name (Do Not Contact) and beside each of their phones
// (Wrong Number and Opt-In for that phone): the product's tag shortcuts.
import * as Menu from "@radix-ui/react-dropdown-menu";
import { useState } from "react";
import { formatPhone } from "../format/phone";
import { OptInDialog } from "./OptInDialog";
import { DO_NOT_CONTACT, OPT_IN, useTagShortcut, WRONG_NUMBER, type Contact, type Phone, type TagChange } from "./useTagShortcut";

type Props = { contact: Pick<Contact, "id" | "first_name" | "last_name" | "dnc">; phone?: Phone };

function nameOf(contact: Props["contact"]): string {
  return `${contact.first_name} ${contact.last_name}`.trim() || "this contact";
}

export function TagArrow({ contact, phone }: Props) {
  const shortcut = useTagShortcut(contact.id);
  const [optingIn, setOptingIn] = useState(false);
  const subject = phone ? formatPhone(phone.e164) : nameOf(contact);
  const apply = (change: TagChange) => shortcut.mutate(change);

  return (
    <span className="tag-arrow">
      <Menu.Root onOpenChange={(open) => open && shortcut.reset()}>
        <Menu.Trigger className="arrow-button" aria-label={`Tag shortcuts for ${subject}`} disabled={shortcut.isPending}>
          <svg aria-hidden="true" viewBox="0 0 12 12" width="12" height="12"><path fill="currentColor" d="M2 4h8L6 9z" /></svg>
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content className="menu tag-menu" align="start" sideOffset={4}>
            {phone ? (
              <>
                {phone.wrong_number ? (
                  <Menu.Item className="menu-item" onSelect={() => apply({ action: "remove", tag: WRONG_NUMBER, phoneId: phone.phone_id })}>
                    Not a wrong number
                  </Menu.Item>
                ) : (
                  <Menu.Item className="menu-item" onSelect={() => apply({ action: "add", tag: WRONG_NUMBER, phoneId: phone.phone_id })}>
                    Mark Wrong Number
                  </Menu.Item>
                )}
                {phone.opted_in ? (
                  <Menu.Item className="menu-item" onSelect={() => apply({ action: "remove", tag: OPT_IN, phoneId: phone.phone_id })}>
                    Remove Opt-In
                  </Menu.Item>
                ) : (
                  <Menu.Item className="menu-item" disabled={phone.opted_out} onSelect={() => setOptingIn(true)}>
                    {phone.opted_out ? "Opt-In (opted out: only they can opt back in, by texting START)" : "Opt-In…"}
                  </Menu.Item>
                )}
              </>
            ) : contact.dnc ? (
              <Menu.Item className="menu-item" onSelect={() => apply({ action: "remove", tag: DO_NOT_CONTACT })}>Remove Do Not Contact</Menu.Item>
            ) : (
              <Menu.Item className="menu-item danger" onSelect={() => apply({ action: "add", tag: DO_NOT_CONTACT })}>Mark Do Not Contact</Menu.Item>
            )}
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
      {shortcut.isError && !optingIn && <span className="form-error" role="alert">{shortcut.error.message}</span>}
      {phone && (
        <OptInDialog open={optingIn} number={subject} busy={shortcut.isPending} error={optingIn && shortcut.isError ? shortcut.error.message : null}
          onOpenChange={(open) => { setOptingIn(open); shortcut.reset(); }}
          onSubmit={(consent) => shortcut.mutate({ action: "add", tag: OPT_IN, phoneId: phone.phone_id, consent }, { onSuccess: () => setOptingIn(false) })} />
      )}
    </span>
  );
}

import * as Menu from "@radix-ui/react-dropdown-menu";
import { useState } from "react";
import { useNavigate } from "react-router";
import { isBuilt } from "../app/routes";
import { fullTime, timeAgo } from "../format/time";
import { askForDesktopAlerts, desktopPermission, PERMISSION_WORDS } from "./desktop";
import { subjectOf, useMarkRead, useNotifications, useUnreadCount, type Notification } from "./queries";

function Item({ notification, onOpen }: { notification: Notification; onOpen: (n: Notification) => void }) {
  return (
    <Menu.Item className={notification.read ? "notification" : "notification unread"} onSelect={() => onOpen(notification)}>
      <span className="notification-title">{notification.title}</span>
      <span className="notification-body">{notification.body}</span>
      <time dateTime={notification.created_at} title={fullTime(notification.created_at)}>
        {timeAgo(notification.created_at)}
      </time>
    </Menu.Item>
  );
}

export function Bell() {
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount().data?.unread ?? 0;
  const list = useNotifications(open);
  const mark = useMarkRead();
  const navigate = useNavigate();
  const [permission, setPermission] = useState(desktopPermission);

  function openNotification(notification: Notification) {
    if (!notification.read) mark.one.mutate(notification.notification_id);
    const subject = subjectOf(notification.link, notification.kind);
    if (subject && isBuilt(subject)) navigate(subject);
  }

  return (
    <Menu.Root open={open} onOpenChange={setOpen}>
      <Menu.Trigger className="bell" aria-label={`Notifications, ${unread} unread`}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        {unread > 0 && <span className="badge" data-testid="unread-count">{unread}</span>}
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="menu notifications" align="end" sideOffset={6}>
          <div className="menu-header">
            <span>Notifications</span>
            <Menu.Item className="link-button" disabled={unread === 0} onSelect={() => mark.all.mutate()}>
              Mark all read
            </Menu.Item>
          </div>
          {list.isPending && <p className="menu-state">Loading…</p>}
          {list.isError && <p className="menu-state error">{list.error.message}</p>}
          {list.data?.items.length === 0 && <p className="menu-state">Nothing yet. Replies and alerts show up here.</p>}
          {list.data?.items.map((notification) => (
            <Item key={notification.notification_id} notification={notification} onOpen={openNotification} />
          ))}
          <Menu.Separator className="menu-separator" />
          {permission === "default" ? (
            <Menu.Item className="menu-action" onSelect={() => askForDesktopAlerts().then(setPermission)}>
              {PERMISSION_WORDS.default}
            </Menu.Item>
          ) : (
            <Menu.Item className="menu-action" disabled>{PERMISSION_WORDS[permission]}</Menu.Item>
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

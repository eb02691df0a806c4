import { notifications } from '@mantine/notifications';

export function notifyError(e: unknown, title = 'Error') {
  notifications.show({ color: 'red', title, message: e instanceof Error ? e.message : String(e) });
}
export function notifyOk(message: string) {
  notifications.show({ color: 'green', message });
}

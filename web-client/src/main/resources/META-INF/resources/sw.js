// The service worker: shows Web Push notifications from the push server ({event, title, body, channel, item, count})
// and opens the channel when one is clicked. Nothing is cached: the app is always the gateway's current one.

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Buddycloud', body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Buddycloud';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || '', tag: data.channel ? `channel:${data.channel}` : undefined,
    data: { channel: data.channel, item: data.item },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const channel = event.notification.data && event.notification.data.channel;
  const url = channel ? `/#/channel/${channel}` : '/';
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    for (const w of windows) {
      if (new URL(w.url).origin === self.location.origin) {
        w.navigate(url);
        return w.focus();
      }
    }
    return self.clients.openWindow(url);
  }));
});

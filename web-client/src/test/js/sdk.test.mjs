// The SDK against a running stack (BUDDYCLOUD_URL: the gateway), with Node's test runner:
//   BUDDYCLOUD_URL=http://localhost:8080 node --test --experimental-websocket web-client/src/test/js/
// web-tests' SdkTest runs it in the build against the stack it starts.

import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Buddycloud, BuddycloudError, XmppClient } from '../../main/resources/META-INF/resources/sdk/buddycloud.js';
import { parseXml, build } from '../../main/resources/META-INF/resources/sdk/xml.js';

const baseUrl = process.env.BUDDYCLOUD_URL ?? 'http://localhost:8080';
const domain = process.env.BUDDYCLOUD_DOMAIN ?? 'localhost';
const run = Date.now().toString(36);
const PASSWORD = 'a-long-enough-password';

/** A registered, logged-in user with a fresh name. @param {string} name */
async function user(name) {
  const bc = new Buddycloud({ baseUrl });
  const username = `${name}-${run}`;
  await bc.register({ username, password: PASSWORD, email: `${username}@example.com` });
  await bc.login(username, PASSWORD);
  return bc;
}

/** Polls until check() returns something truthy (10 s). @template T @param {() => Promise<T>} check @returns {Promise<T>} */
async function eventually(check, what) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The next event of a type from a live stream (10 s). */
function nextEvent(live, type, predicate = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no live ${type} event`)), 10000);
    live.addEventListener('event', function listener(e) {
      if (e.detail.type === type && predicate(e.detail.data)) {
        clearTimeout(timer);
        live.removeEventListener('event', listener);
        resolve(e.detail);
      }
    });
  });
}

function opened(live) {
  return new Promise((resolve) => {
    if (live.status === 'open') resolve();
    live.addEventListener('status', (e) => { if (e.detail === 'open') resolve(); });
  });
}

let romeo;
let juliet;

describe('against the stack', () => {
before(async () => {
  [romeo, juliet] = await Promise.all([user('romeo'), user('juliet')]);
});

test('log in, renew the token, log out: the old token is refused afterwards', async () => {
  const bc = await user('tybalt');
  assert.equal((await bc.whoami()).jid, `tybalt-${run}@${domain}`);
  const first = bc.session.accessToken;
  await bc.refresh();
  assert.notEqual(bc.session.accessToken, first);
  const sessions = [];
  bc.addEventListener('session', (e) => sessions.push(e.detail));
  const kept = bc.session;
  await bc.logout();
  assert.deepEqual(sessions, [null]);
  const stale = new Buddycloud({ baseUrl, session: { ...kept, expiresAt: Date.now() + 600000 } });
  await assert.rejects(stale.request('POST', '/auth/refresh', { json: { refresh_token: kept.refreshToken }, anonymous: true }),
    (e) => e instanceof BuddycloudError && e.status >= 400);
});

test('a password change logs in again: a renewal refused in between waits for the new login instead of logging out', async () => {
  // the change's answer is held back until the old refresh token has been refused, the order a browser met when
  // its live stream lost its token before the change answered (the page then logged itself out)
  let changeAnswered = () => {};
  const answered = new Promise((resolve) => { changeAnswered = resolve; });
  let refreshRefused = () => {};
  const refused = new Promise((resolve) => { refreshRefused = resolve; });
  const fetchImpl = async (url, init) => {
    const response = await fetch(url, init);
    if (url.endsWith('/auth/refresh') && !response.ok) refreshRefused();
    if (url.endsWith('/account/pw/change')) {
      changeAnswered();
      await refused;
    }
    return response;
  };
  const bc = new Buddycloud({ baseUrl, fetchImpl });
  const username = `benvolio-${run}`;
  await bc.register({ username, password: PASSWORD, email: `${username}@example.com` });
  await bc.login(username, PASSWORD);
  const old = bc.session;
  const sessions = [];
  bc.addEventListener('session', (e) => sessions.push(e.detail));
  const changed = bc.changePassword(PASSWORD, `${PASSWORD}-changed`);
  await answered;
  const renewed = await bc.refresh();   // as the live stream does when its token is refused: the old refresh token
  const session = await changed;
  assert.equal(renewed, session);
  assert.deepEqual(sessions, [session]);
  assert.equal(bc.session, session);
  assert.notEqual(session.refreshToken, old.refreshToken);
  assert.equal((await bc.whoami()).jid, `${username}@${domain}`);
});

test('a wrong password and a taken name are refused in words', async () => {
  const bc = new Buddycloud({ baseUrl });
  await assert.rejects(bc.login(`romeo-${run}`, 'not-the-password'), (e) => e.status === 401 && e.message.length > 0);
  await assert.rejects(bc.register({ username: `romeo-${run}`, password: PASSWORD, email: 'r@example.com' }), (e) => e.status === 409);
  await assert.rejects(romeo.posts(`nobody-${run}@${domain}`), (e) => e.status === 404 && !e.message.startsWith('{'));
});

test('posts, replies, edits and deletions, newest first, paged', async () => {
  const channel = romeo.jid;
  const first = await romeo.publish(channel, { content: 'But soft, what light' });
  const second = await romeo.publish(channel, { content: `It is the east, and @${juliet.jid} is the sun` });
  assert.equal(await juliet.follow(channel), 'member');
  await romeo.setAffiliations(channel, { [juliet.jid]: 'publisher' });   // members read, publishers also write
  const reply = await juliet.publish(channel, { content: 'Ay me', replyTo: second.id });
  const page = await romeo.posts(channel, { max: 1, parentOnly: true });
  assert.deepEqual(page.items.map((p) => p.id), [second.id]);
  const older = await romeo.posts(channel, { max: 1, parentOnly: true, after: page.last });
  assert.deepEqual(older.items.map((p) => p.id), [first.id]);
  const replies = await romeo.replies(channel, second.id);
  assert.deepEqual(replies.items.map((p) => [p.id, p.replyTo, p.author]), [[reply.id, second.id, juliet.jid]]);
  const edited = await romeo.editPost(channel, first, 'But soft! What light through yonder window breaks?');
  assert.equal(edited.id, first.id);
  assert.equal((await romeo.getPost(channel, first.id)).content, 'But soft! What light through yonder window breaks?');
  await assert.rejects(juliet.editPost(channel, first, 'not hers'), (e) => e.status === 403);
  await romeo.deletePost(channel, second.id);
  await assert.rejects(romeo.getPost(channel, reply.id), (e) => e.status === 404);
});

test('a private topic channel: request, approval, then reading; strangers read nothing', async () => {
  const name = `balcony-${run}`;
  const channel = await juliet.createTopicChannel(name, { private: true, title: 'The balcony' });
  assert.equal(channel, `${name}@topics.${domain}`);
  assert.equal((await juliet.metadata(channel)).access_model, 'authorize');
  const secret = await juliet.publish(channel, { content: 'Deny thy father and refuse thy name' });
  assert.equal(await romeo.follow(channel), 'pending');
  assert.equal((await romeo.subscriptions())[`${channel}/posts`], 'pending');
  await assert.rejects(romeo.posts(channel), (e) => e.status === 403);
  assert.deepEqual((await juliet.pendingRequests(channel)).map((r) => r.jid), [romeo.jid]);
  await juliet.answerRequest(channel, romeo.jid, true);
  assert.equal((await romeo.subscriptions())[`${channel}/posts`], 'publisher');
  assert.deepEqual((await romeo.posts(channel)).items.map((p) => p.id), [secret.id]);
  const stranger = await user('paris');
  await assert.rejects(stranger.posts(channel), (e) => e.status === 403);
  await assert.rejects(new Buddycloud({ baseUrl }).posts(channel), (e) => e.status === 401);
  assert.equal(await romeo.unfollow(channel), 'none');
});

test('media: an upload with progress, its bytes back, a post that carries it, and an avatar', async () => {
  const bytes = new Uint8Array(200000).map((_, i) => i % 251);
  const file = new File([bytes], 'rose.bin', { type: 'application/octet-stream' });
  const progress = [];
  const media = await eventually(() => romeo.uploadMedia(romeo.jid, file, { title: 'A rose', onProgress: (sent, total) => progress.push([sent, total]) }),
    'the media server to know romeo\'s channel');
  assert.equal(media.fileName, 'rose.bin');
  assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);
  const back = new Uint8Array(await (await romeo.mediaBlob(romeo.jid, media.id)).arrayBuffer());
  assert.deepEqual(back, bytes);
  const post = await romeo.publish(romeo.jid, { content: 'A rose by any other name', media: [{ id: media.id, channel: romeo.jid }] });
  assert.deepEqual(post.media, [{ id: media.id, channel: romeo.jid }]);
  const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
  await romeo.setAvatar(new File([png], 'me.png', { type: 'image/png' }));
  const avatar = await fetch(romeo.avatarUrl(romeo.jid));
  assert.equal(avatar.status, 200);
});

test('live: a post arrives as it happens, and a stream resumed from its last id gets what it missed, once', async () => {
  const live = romeo.live().start();
  await opened(live);
  const arriving = nextEvent(live, 'post', (d) => d.post.content === 'Live from Verona');
  await romeo.publish(romeo.jid, { content: 'Live from Verona' });
  const event = await arriving;
  assert.equal(event.data.channel, romeo.jid);
  live.stop();
  const missed = await romeo.publish(romeo.jid, { content: 'Said while away' });
  const resumed = romeo.live({ since: live.lastEventId });
  const seen = [];
  resumed.addEventListener('event', (e) => { if (e.detail.type === 'post') seen.push(e.detail.data.post.id); });
  const caughtUp = nextEvent(resumed, 'post', (d) => d.post.id === missed.id);
  resumed.start();
  await caughtUp;
  const after = await romeo.publish(romeo.jid, { content: 'And back again' });
  await eventually(async () => seen.includes(after.id), 'the next post after resuming');
  resumed.stop();
  assert.deepEqual(seen, [missed.id, after.id]);
});

test('search finds open posts for anyone and private ones only for their readers', async () => {
  const word = `quintessence${run}`.replace(/[^a-z0-9]/g, '');
  await juliet.publish(juliet.jid, { content: `What a piece of work: ${word}` });
  const found = await eventually(async () => {
    const answer = await new Buddycloud({ baseUrl }).searchPosts(word);
    return answer.items.length === 1 ? answer : null;
  }, 'the search index');
  assert.match(found.items[0].highlights[0], new RegExp(`<em>${word}</em>`, 'i'));
  const hidden = `${word}hidden`;
  const channel = await juliet.createTopicChannel(`vault-${run}`, { private: true });
  await juliet.publish(channel, { content: `Locked ${hidden}` });
  await eventually(async () => (await juliet.searchPosts(hidden)).items.length === 1, 'the private post to be indexed');
  assert.equal((await romeo.searchPosts(hidden)).items.length, 0);
  assert.equal((await new Buddycloud({ baseUrl }).searchPosts(hidden)).items.length, 0);
});

test('recommendations come from the taste engine', async () => {
  const answer = await romeo.recommendations({ max: 5 });
  assert.equal(answer.source, 'taste-engine');
  assert.ok(Array.isArray(answer.items));
  assert.ok(!answer.items.some((c) => c.jid === romeo.jid));
  const active = await romeo.mostActive({ max: 50 });
  assert.ok(active.items.some((c) => c.jid === romeo.jid), 'romeo posted, so he is among the most active');
});

test('notification settings and preferences round-trip', async () => {
  const bc = await user('nurse');
  await bc.updateNotificationSettings({ type: 'gcm', target: `nurse-phone-${run}`, postMentionedMe: true, postOnSubscribedChannel: true });
  const settings = await bc.notificationSettings();
  const phone = settings.find((s) => s.target === `nurse-phone-${run}`);
  assert.equal(phone.postOnSubscribedChannel, true);
  await bc.updateNotificationPreferences({ digest: 'daily' });
  assert.equal((await bc.notificationPreferences()).digest, 'daily');
  await assert.rejects(bc.updateNotificationSettings({ type: 'carrier-pigeon', target: 'x' }), (e) => e.status === 400);
});

test('direct messages over XMPP over WebSocket, SCRAM-SHA-256 in the SDK, and what waited while away', async () => {
  const romeoXmpp = romeo.xmpp({ resource: 'node-test' });
  const julietXmpp = juliet.xmpp({ resource: 'node-test' });
  assert.equal(await romeoXmpp.connect(romeo.jid, PASSWORD), `${romeo.jid}/node-test`);
  // while juliet is away the server keeps it
  romeoXmpp.sendMessage(juliet.jid, 'Wilt thou leave me so unsatisfied?');
  const waiting = new Promise((resolve) => julietXmpp.addEventListener('message', (e) => resolve(e.detail), { once: true }));
  await julietXmpp.connect(juliet.jid, PASSWORD);
  const kept = await waiting;
  assert.equal(kept.from, romeo.jid);
  assert.equal(kept.body, 'Wilt thou leave me so unsatisfied?');
  const live = new Promise((resolve) => romeoXmpp.addEventListener('message', (e) => resolve(e.detail), { once: true }));
  julietXmpp.sendMessage(romeo.jid, 'What satisfaction canst thou have tonight?');
  const answer = await live;
  assert.equal(answer.from, juliet.jid);
  assert.equal(answer.delayed, false);
  romeoXmpp.close();
  julietXmpp.close();
  const wrong = new XmppClient({ url: `${baseUrl.replace(/^http/, 'ws')}/xmpp-websocket`, domain, reconnect: false });
  await assert.rejects(wrong.connect(romeo.jid, 'not-the-password'), /wrong user name or password/);
});

});

test('the XML reader refuses what XMPP forbids and reads what servers send', () => {
  const e = parseXml("<message from='a@b' type=\"chat\"><body>x &lt; y &amp; &#x1F339;</body></message>");
  assert.equal(e.attrs.from, 'a@b');
  assert.equal(e.children[0].children[0], 'x < y & \u{1F339}');
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'));
  assert.throws(() => parseXml('<x>&bogus;</x>'));
  assert.throws(() => parseXml('<x><y></x>'));
  assert.equal(build('body', {}, '<b> & "q"').xml, '<body>&lt;b&gt; &amp; &quot;q&quot;</body>');
});

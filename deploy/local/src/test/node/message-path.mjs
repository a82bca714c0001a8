// The message path of HookRelay's Svix-compatible API driven with the official `svix` npm SDK:
// application, event type, endpoint (to a loopback receiver started here), a message with an
// eventId and an idempotency-key, reading it back, its attempts, and the webhook the receiver got,
// verified with the SDK's own Webhook.verify. Run by SvixConformanceIT; prints one "ok" line per
// check and exits non-zero on the first failure.
//
//   HOOKRELAY_URL=http://127.0.0.1:8080 HOOKRELAY_TOKEN=... node message-path.mjs

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { MessageStatus, Svix, Webhook } from "svix";

const serverUrl = required("HOOKRELAY_URL");
const token = required("HOOKRELAY_TOKEN");
const svix = new Svix(token, { serverUrl });

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function ok(check) {
  console.log(`ok ${check}`);
}

/** A receiver on loopback that answers 204 and hands over the first webhook it gets. */
function startReceiver() {
  let deliver;
  const received = new Promise((resolve) => (deliver = resolve));
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(204).end();
      deliver({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${server.address().port}/webhooks`, received })));
}

async function within(milliseconds, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${milliseconds} ms`)), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function eventually(milliseconds, what, attempt) {
  const deadline = Date.now() + milliseconds;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${milliseconds} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const receiver = await startReceiver();
try {
  const suffix = randomUUID().slice(0, 8);
  const eventType = `js.invoice-${suffix}.paid`;

  const app = await svix.application.create({ name: "svix-js", uid: `svix-js-${suffix}` });
  assert.match(app.id, /^app_/);
  ok("application.create");

  const type = await svix.eventType.create({ name: eventType, description: "An invoice was paid" });
  assert.equal(type.name, eventType);
  assert.equal(type.archived, false);
  ok("eventType.create");

  const endpoint = await svix.endpoint.create(app.id, { url: receiver.url, filterTypes: [eventType] });
  assert.match(endpoint.id, /^ep_/);
  assert.deepEqual(endpoint.filterTypes, [eventType]);
  const secret = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
  assert.match(secret, /^whsec_/);
  ok("endpoint.create, endpoint.getSecret");

  const before = new Date(Date.now() - 60_000);
  const payload = { invoice: `in_${suffix}`, amount: 4200, currency: "EUR", note: "caf\u00e9 \u2615" };
  const eventId = `evt-${suffix}`;
  const idempotencyKey = `js-${randomUUID()}`;
  const message = await svix.message.create(app.id, { eventType, eventId, payload }, { idempotencyKey });
  const sameKey = await svix.message.create(app.id, { eventType, eventId, payload }, { idempotencyKey });
  const sameEventId = await svix.message.create(app.id, { eventType, eventId, payload: { other: true } });
  assert.match(message.id, /^msg_/);
  assert.equal(message.eventId, eventId);
  assert.equal(message.eventType, eventType);
  assert.ok(message.timestamp instanceof Date);
  assert.equal(sameKey.id, message.id);
  assert.equal(sameEventId.id, message.id);
  ok("message.create (eventId, idempotency-key: repeats answer the original)");

  const byId = await svix.message.get(app.id, message.id);
  const byEventId = await svix.message.get(app.id, eventId);
  assert.equal(byId.id, message.id);
  assert.deepEqual(byId.payload, payload);
  assert.equal(byEventId.id, message.id);
  ok("message.get (by id and by eventId)");

  const matching = await svix.message.list(app.id, { eventTypes: [eventType], after: before, limit: 10 });
  const otherType = await svix.message.list(app.id, { eventTypes: ["js.something.else"] });
  const beforeIt = await svix.message.list(app.id, { before });
  assert.deepEqual(matching.data.map((m) => m.id), [message.id]);
  assert.equal(matching.done, true);
  assert.deepEqual(otherType.data, []);
  assert.deepEqual(beforeIt.data, []);
  ok("message.list (eventTypes, after, before filters)");

  const webhook = await within(30_000, "webhook at the receiver", receiver.received);
  assert.equal(webhook.headers["webhook-id"], message.id);
  const verified = new Webhook(secret).verify(webhook.body, webhook.headers);
  assert.deepEqual(verified, payload);
  assert.throws(() => new Webhook(secret).verify(webhook.body + " ", webhook.headers));
  ok("Webhook.verify accepts the delivered webhook (and refuses a changed body)");

  const attempts = await eventually(30_000, "an attempt listed", async () => {
    const page = await svix.messageAttempt.listByMsg(app.id, message.id);
    return page.data.length > 0 ? page.data : undefined;
  });
  assert.equal(attempts.length, 1);
  assert.equal(attempts[0].msgId, message.id);
  assert.equal(attempts[0].endpointId, endpoint.id);
  assert.equal(attempts[0].url, receiver.url);
  assert.equal(attempts[0].status, MessageStatus.Success);
  assert.equal(attempts[0].responseStatusCode, 204);
  const succeeded = await svix.messageAttempt.listByMsg(app.id, message.id, { status: MessageStatus.Success });
  const failed = await svix.messageAttempt.listByMsg(app.id, message.id, { status: MessageStatus.Fail });
  assert.deepEqual(succeeded.data.map((a) => a.id), [attempts[0].id]);
  assert.deepEqual(failed.data, []);
  ok("messageAttempt.listByMsg (with status filters)");

  console.log(`svix-js message path: all checks passed (svix npm SDK, message ${message.id})`);
} catch (error) {
  console.error(`FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  receiver.server.close();
  receiver.server.closeAllConnections?.();
}

/**
 * Local receivers for the notification channels: an HTTP sink (Slack webhook and Web API,
 * PagerDuty Events v2) and an SMTP sink (smtp-server, mails parsed with mailparser), both on
 * 127.0.0.1 with port 0. Tests wait on what a sink received (`until`), never on a fixed sleep.
 */
import http from "node:http";
import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { closeServers, listenOnLoopback } from "../../../support/loopback-server";

export interface SinkRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: string;
  readonly json: any;
}

/** Resolves when `ready(items)` holds, re-checked on every arrival; rejects after `timeoutMs`. */
function waitOn<T>(events: EventEmitter, items: T[], ready: (items: T[]) => boolean, timeoutMs: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!ready(items)) return;
      clearTimeout(timer);
      events.off("item", check);
      resolve(items);
    };
    const timer = setTimeout(() => {
      events.off("item", check);
      reject(new Error(`sink: condition not met within ${timeoutMs} ms (received ${items.length})`));
    }, timeoutMs);
    events.on("item", check);
    check();
  });
}

export interface HttpSink {
  readonly url: string;
  readonly received: SinkRequest[];
  until(ready: (r: SinkRequest[]) => boolean, timeoutMs?: number): Promise<SinkRequest[]>;
  close(): Promise<void>;
}

/** Answers 202 `{"status":"success"}` (PagerDuty) or, on /chat.postMessage, `{"ok":true}` (Slack); `answer` overrides. */
export async function startHttpSink(
  answer?: (r: SinkRequest) => { status: number; body: string } | undefined,
): Promise<HttpSink> {
  const received: SinkRequest[] = [];
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
      const r: SinkRequest = { path: req.url ?? "", headers: req.headers, raw, json };
      received.push(r);
      const a = answer?.(r) ?? {
        status: r.path.endsWith("/chat.postMessage") ? 200 : 202,
        body: r.path.endsWith("/chat.postMessage") ? '{"ok":true}' : '{"status":"success"}',
      };
      res.writeHead(a.status, { "content-type": "application/json" }).end(a.body);
      events.emit("item");
    });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url,
    received,
    until: (ready, timeoutMs = 20_000) => waitOn(events, received, ready, timeoutMs),
    close: () => closeServers(server),
  };
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: ParsedMail[];
  /** The AUTH attempts seen (username, password) — the tests' proof the password was used. */
  readonly logins: { user: string; pass: string }[];
  until(ready: (m: ParsedMail[]) => boolean, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** An SMTP receiver without TLS (loopback), accepting `user`/`pass` when given. */
export async function startSmtpSink(auth?: { user: string; pass: string }): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const logins: { user: string; pass: string }[] = [];
  const events = new EventEmitter();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    onAuth(a, _session, cb) {
      logins.push({ user: a.username ?? "", pass: a.password ?? "" });
      if (auth && a.username === auth.user && a.password === auth.pass) return cb(null, { user: a.username });
      return cb(new Error("invalid credentials"));
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          events.emit("item");
          cb();
        })
        .catch((e: Error) => cb(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    logins,
    until: (ready, timeoutMs = 20_000) => waitOn(events, mails, ready, timeoutMs),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

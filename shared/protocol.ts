/**
 * The native-messaging protocol between the extension and the host (docs/PROTOCOL.md §2): message types, error codes,
 * the validation of requests (the host's side) and the schemas of replies (the host writes them, the extension
 * validates them), shared by both sides so they cannot drift apart.
 */
import * as v from 'valibot';
import { AZURE_CLOUD_NAMES, type AzureCloudName } from './resource-id';
import { isTenant } from './tenant';

export const HOST_NAME = 'com.rdpnow.host';
export const FIREFOX_EXTENSION_ID = 'rdp-now@rdpnow.dev';
export const PROTOCOL_VERSION = 1;
/** Both directions: requests longer than this are refused, replies longer are never sent. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const CLIENT_IDS = [
  'mstsc',
  'windows-app',
  'remmina',
  'sdl-freerdp3',
  'xfreerdp3',
  'xfreerdp',
  'xdg-open',
  'custom',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];
/** What a launch may ask for: a client, or `auto` (the best one installed). */
export const LAUNCH_CLIENTS = ['auto', ...CLIENT_IDS] as const;
export type LaunchClient = (typeof LAUNCH_CLIENTS)[number];

export function isLaunchClient(value: string): value is LaunchClient {
  return LAUNCH_CLIENTS.some((c) => c === value);
}

export const ERROR_CODES = [
  'E_BAD_MESSAGE',
  'E_VERSION',
  'E_UNKNOWN_TYPE',
  'E_TOO_LARGE',
  'E_RDP_INVALID',
  'E_RDP_FORBIDDEN',
  'E_NO_CLIENT',
  'E_LAUNCH_FAILED',
  'E_SIGN_IN_REQUIRED',
  'E_SIGN_IN_CANCELLED',
  'E_SIGN_IN_FAILED',
  'E_TUNNEL_FAILED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HOST_PLATFORMS = ['win32', 'darwin', 'linux'] as const;
export type HostPlatform = (typeof HOST_PLATFORMS)[number];

export interface HelloRequest {
  v: 1;
  id: string;
  type: 'hello';
}
export interface LaunchRequest {
  v: 1;
  id: string;
  type: 'launch';
  rdp: string;
  client?: LaunchClient;
  dryRun?: boolean;
  /** The VM's name, for the client's window (docs/PROTOCOL.md §2.4); the `.rdp` may only say 127.0.0.1. */
  title?: string;
}
/** An ARM access token for the user's own sign-in (docs/PROTOCOL.md §2.8): the host signs in, the browser shows the page. */
export interface TokenRequest {
  v: 1;
  id: string;
  type: 'token';
  cloud: AzureCloudName;
  tenant?: string;
  interactive: boolean;
}
/** Ends the interactive sign-in in progress (the user closed its tab). */
export interface SignInCancelRequest {
  v: 1;
  id: string;
  type: 'sign-in-cancel';
}
/** Forgets the kept sign-in: the accounts, the cache file and its key. */
export interface SignOutRequest {
  v: 1;
  id: string;
  type: 'sign-out';
}
/** Who is signed in, and how the sign-in is kept (for the options page). */
export interface AccountRequest {
  v: 1;
  id: string;
  type: 'account';
  cloud: AzureCloudName;
}
/** Opens a tunnel through a Bastion on 127.0.0.1 (docs/PROTOCOL.md §2.4); the host asks for each session. */
export interface TunnelOpenRequest {
  v: 1;
  id: string;
  type: 'tunnel-open';
  cloud: AzureCloudName;
  /** The Bastion's DNS name: checked against the cloud's Bastion domain before anything is sent there. */
  bastion: string;
}
/** The answer to a `bastion-session-needed`: the session the extension minted, or why it could not. */
export interface BastionSessionRequest {
  v: 1;
  id: string;
  type: 'bastion-session';
  tunnel: string;
  for: string;
  session?: BastionSessionTokens;
  error?: string;
}
export type HostRequest =
  | TunnelOpenRequest
  | BastionSessionRequest
  | HelloRequest
  | LaunchRequest
  | TokenRequest
  | SignInCancelRequest
  | SignOutRequest
  | AccountRequest;

/**
 * Messages the host sends unasked, with no request `id`: `sign-in-page` carries the authorize URL to open in a
 * tab for the `token` request whose id is `for`; the extension checks it before opening it.
 */
export const SignInPageMessageSchema = v.object({
  v: v.literal(1),
  type: v.literal('sign-in-page'),
  for: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  url: v.pipe(v.string(), v.maxLength(8192)),
});
export type SignInPageMessage = v.InferOutput<typeof SignInPageMessageSchema>;

const TunnelId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const BastionToken = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));

/** What the Bastion's `POST /api/tokens` answers (docs/notes/bastion.md): one TCP connection's session. */
export const BastionSessionSchema = v.object({
  authToken: BastionToken,
  nodeId: BastionToken,
  websocketToken: BastionToken,
});
export type BastionSessionTokens = v.InferOutput<typeof BastionSessionSchema>;

/** Unasked: the client opened a TCP connection on tunnel `tunnel`; answer `ask` with a `bastion-session`. */
export const BastionSessionNeededSchema = v.object({
  v: v.literal(1),
  type: v.literal('bastion-session-needed'),
  tunnel: TunnelId,
  ask: TunnelId,
});
export type BastionSessionNeeded = v.InferOutput<typeof BastionSessionNeededSchema>;

/** Unasked: the tunnel stopped listening, with the one sentence why (null: it ended as it should). */
export const TunnelClosedSchema = v.object({
  v: v.literal(1),
  type: v.literal('tunnel-closed'),
  tunnel: TunnelId,
  error: v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(1000))),
});
export type TunnelClosed = v.InferOutput<typeof TunnelClosedSchema>;

const ClientIdSchema = v.picklist(CLIENT_IDS);

/** `hello`'s result: what the host is and which RDP clients it found. */
export const HelloResultSchema = v.object({
  host: v.object({
    version: v.string(),
    platform: v.picklist(HOST_PLATFORMS),
    clients: v.array(v.object({ id: ClientIdSchema, name: v.string(), available: v.boolean() })),
    defaultClient: v.nullable(ClientIdSchema),
  }),
});
export type HelloResult = v.InferOutput<typeof HelloResultSchema>;
export type ClientInfo = HelloResult['host']['clients'][number];

/** `launch`'s result: the client started, the canonical .rdp text, its command line, its pid (not on a dry run). */
export const LaunchResultSchema = v.object({
  client: ClientIdSchema,
  rdp: v.string(),
  argv: v.array(v.string()),
  pid: v.exactOptional(v.number()),
});
export type LaunchResult = v.InferOutput<typeof LaunchResultSchema>;

const AccountSchema = v.object({ username: v.string(), tenantId: v.string() });

/** `token`'s result: an access token for the cloud's ARM only (never a refresh token), its expiry, the account. */
export const TokenResultSchema = v.object({
  accessToken: v.pipe(v.string(), v.minLength(1)),
  expiresOn: v.number(),
  account: AccountSchema,
});
export type TokenResult = v.InferOutput<typeof TokenResultSchema>;

/** `account`'s result: the accounts signed in, and whether the cache is protected, plaintext or memory only. */
export const AccountResultSchema = v.object({
  accounts: v.array(AccountSchema),
  cache: v.object({
    protection: v.picklist(['protected', 'plaintext', 'memory']),
    where: v.nullable(v.string()),
    file: v.string(),
  }),
});
export type AccountResult = v.InferOutput<typeof AccountResultSchema>;

const EmptyResultSchema = v.object({});

/** What an `ok: true` reply carries besides its envelope, per request type. */
export const RESULT_SCHEMAS = {
  hello: HelloResultSchema,
  launch: LaunchResultSchema,
  token: TokenResultSchema,
  'sign-in-cancel': v.object({ cancelled: v.boolean() }),
  'sign-out': EmptyResultSchema,
  account: AccountResultSchema,
  'tunnel-open': v.object({
    tunnel: TunnelId,
    port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  }),
  'bastion-session': EmptyResultSchema,
} as const;
export type HostRequestType = keyof typeof RESULT_SCHEMAS;
export type HostResult<K extends HostRequestType> = v.InferOutput<(typeof RESULT_SCHEMAS)[K]>;

const RequestId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** The envelope of a success: the request's id, then the result's fields beside it. */
export const OkEnvelopeSchema = v.object({
  v: v.literal(PROTOCOL_VERSION),
  id: RequestId,
  ok: v.literal(true),
});
export type OkReply<K extends HostRequestType> = v.InferOutput<typeof OkEnvelopeSchema> & HostResult<K>;

/** A failure; `id` is null when the request's own id could not be read. */
export const ErrorReplySchema = v.object({
  v: v.literal(PROTOCOL_VERSION),
  id: v.nullable(v.string()),
  ok: v.literal(false),
  error: v.object({ code: v.picklist(ERROR_CODES), message: v.string() }),
});
export type ErrorReply = v.InferOutput<typeof ErrorReplySchema>;

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function okReply<K extends HostRequestType>(id: string, result: HostResult<K>): OkReply<K> {
  return { v: PROTOCOL_VERSION, id, ok: true, ...result };
}

export function errorReply(id: string | null, code: ErrorCode, message: string): ErrorReply {
  return { v: PROTOCOL_VERSION, id, ok: false, error: { code, message } };
}
const Envelope = v.object({ v: v.pipe(v.number(), v.integer()), type: v.string() });
const CloudField = v.picklist(AZURE_CLOUD_NAMES);
const TokenFields = v.object({
  cloud: CloudField,
  tenant: v.optional(v.pipe(v.string(), v.check(isTenant))),
  interactive: v.boolean(),
});
/** A VM-name-like window title: it lands in a file name and on a command line, so only these characters. */
export const LaunchTitleSchema = v.pipe(v.string(), v.maxLength(80), v.regex(/^[A-Za-z0-9._ -]+$/));

/** A VM's name as a launch's title, or none when it has characters the title may not carry. */
export function launchTitle(vmName: string): string | undefined {
  return v.is(LaunchTitleSchema, vmName) ? vmName : undefined;
}

const LaunchFields = v.object({
  rdp: v.string(),
  client: v.optional(v.picklist(LAUNCH_CLIENTS)),
  dryRun: v.optional(v.boolean()),
  title: v.optional(LaunchTitleSchema),
});

const TunnelOpenFields = v.object({ cloud: CloudField, bastion: v.pipe(v.string(), v.maxLength(253)) });
const BastionSessionFields = v.object({
  tunnel: TunnelId,
  for: TunnelId,
  session: v.optional(BastionSessionSchema),
  error: v.optional(v.pipe(v.string(), v.maxLength(1024))),
});

export type ParsedRequest = { ok: true; request: HostRequest } | { ok: false; reply: ErrorReply };

/** Validates one decoded message; every failure becomes the error reply the host sends back. */
export function parseRequest(message: unknown): ParsedRequest {
  const fail = (id: string | null, code: ErrorCode, text: string): ParsedRequest => ({
    ok: false,
    reply: errorReply(id, code, text),
  });
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return fail(null, 'E_BAD_MESSAGE', 'The message must be a JSON object.');
  }
  const record = message as Record<string, unknown>;
  const idCheck = v.safeParse(RequestId, record.id);
  const id = idCheck.success ? idCheck.output : null;
  if (!id) return fail(null, 'E_BAD_MESSAGE', 'The message needs an "id" string of 1 to 64 characters.');
  const envelope = v.safeParse(Envelope, record);
  if (!envelope.success) {
    return fail(id, 'E_BAD_MESSAGE', `The message needs ${describeIssue(envelope.issues[0])}.`);
  }
  if (envelope.output.v !== PROTOCOL_VERSION) {
    return fail(
      id,
      'E_VERSION',
      `This host speaks protocol version ${PROTOCOL_VERSION}; update the extension or the host.`,
    );
  }
  switch (envelope.output.type) {
    case 'hello':
      return { ok: true, request: { v: 1, id, type: 'hello' } };
    case 'launch': {
      const fields = v.safeParse(LaunchFields, record);
      if (!fields.success) {
        return fail(id, 'E_BAD_MESSAGE', `A launch needs ${describeIssue(fields.issues[0])}.`);
      }
      const { rdp, client, dryRun, title } = fields.output;
      return {
        ok: true,
        request: {
          v: 1,
          id,
          type: 'launch',
          rdp,
          ...(client !== undefined && { client }),
          ...(dryRun !== undefined && { dryRun }),
          ...(title !== undefined && { title }),
        },
      };
    }
    case 'token': {
      const fields = v.safeParse(TokenFields, record);
      if (!fields.success) {
        return fail(id, 'E_BAD_MESSAGE', `A token request needs ${describeIssue(fields.issues[0])}.`);
      }
      const { cloud, tenant, interactive } = fields.output;
      return {
        ok: true,
        request: { v: 1, id, type: 'token', cloud, interactive, ...(tenant !== undefined && { tenant }) },
      };
    }
    case 'account': {
      const fields = v.safeParse(v.object({ cloud: CloudField }), record);
      if (!fields.success) {
        return fail(id, 'E_BAD_MESSAGE', `An account request needs ${describeIssue(fields.issues[0])}.`);
      }
      return { ok: true, request: { v: 1, id, type: 'account', cloud: fields.output.cloud } };
    }
    case 'tunnel-open': {
      const fields = v.safeParse(TunnelOpenFields, record);
      if (!fields.success) {
        return fail(id, 'E_BAD_MESSAGE', `A tunnel needs ${describeIssue(fields.issues[0])}.`);
      }
      return { ok: true, request: { v: 1, id, type: 'tunnel-open', ...fields.output } };
    }
    case 'bastion-session': {
      const fields = v.safeParse(BastionSessionFields, record);
      // Exactly one of the two: a session, or why there is none.
      if (!fields.success || (fields.output.session === undefined) === (fields.output.error === undefined)) {
        return fail(
          id,
          'E_BAD_MESSAGE',
          `A Bastion session needs ${fields.success ? 'either "session" or "error"' : describeIssue(fields.issues[0])}.`,
        );
      }
      const { tunnel, session, error } = fields.output;
      return {
        ok: true,
        request: {
          v: 1,
          id,
          type: 'bastion-session',
          tunnel,
          for: fields.output.for,
          ...(session !== undefined && { session }),
          ...(error !== undefined && { error }),
        },
      };
    }
    case 'sign-in-cancel':
    case 'sign-out':
      return { ok: true, request: { v: 1, id, type: envelope.output.type } };
    default:
      return fail(
        id,
        'E_UNKNOWN_TYPE',
        `This host does not know the message type "${shorten(envelope.output.type)}".`,
      );
  }
}

export type ParsedReply<K extends HostRequestType> =
  | { ok: true; result: HostResult<K> }
  | { ok: false; error: ErrorReply['error'] }
  | { ok: false; malformed: string };

/**
 * Validates the host's reply to a request of type `type` (its id already matched): the result without its
 * envelope, the host's error, or what is wrong with it (a reply the schemas above do not describe).
 */
export function parseReply<K extends HostRequestType>(type: K, message: unknown): ParsedReply<K> {
  if (v.is(OkEnvelopeSchema, message)) {
    const result = v.safeParse(RESULT_SCHEMAS[type], message);
    return result.success
      ? { ok: true, result: result.output }
      : { ok: false, malformed: issueText(result.issues[0]) };
  }
  const failure = v.safeParse(ErrorReplySchema, message);
  return failure.success
    ? { ok: false, error: failure.output.error }
    : { ok: false, malformed: issueText(failure.issues[0]) };
}

/** A validation issue as a short text: where (`host.version`) and what (valibot's message). */
export function issueText(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

const FIELD_TEXT: Record<string, string> = {
  v: 'an integer "v"',
  type: 'a "type" string',
  rdp: 'the ".rdp" content as a string in "rdp"',
  client: `"client" to be "auto" or one of ${CLIENT_IDS.join(', ')}`,
  dryRun: '"dryRun" to be true or false',
  title: '"title" to be at most 80 letters, digits, dots, underscores, hyphens and spaces',
  cloud: `"cloud" to be one of ${AZURE_CLOUD_NAMES.join(', ')}`,
  tenant: '"tenant" to be a directory (tenant) ID or a domain name',
  interactive: '"interactive" to be true or false',
  bastion: 'the Bastion\'s DNS name in "bastion"',
  tunnel: 'the tunnel\'s id in "tunnel"',
  for: 'the id of the host\'s ask in "for"',
  session: '"session" to hold the Bastion\'s authToken, nodeId and websocketToken',
  error: '"error" to be a sentence',
};

function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  const key = issue?.path?.[0]?.key;
  return (typeof key === 'string' && FIELD_TEXT[key]) || 'well-formed fields';
}

function shorten(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/**
 * The extension's internal messages, named by direction (`cs:` content script → background, `ui:` an extension
 * page → background, `bg:` background → pages). MESSAGES is the one table of them: each request type with the
 * schema of its request and the schema of its reply. The background validates every request with it (after
 * checking who sent it, see background/router.ts) and its handlers must return the reply type it gives
 * (background/handlers.ts); the pages validate every reply with it (ui/background-client.ts).
 */
import * as v from 'valibot';
import { ADVICE_CODES } from '../shared/advice-codes';
import {
  ACTION_FIX_IDS,
  CHECK_IDS,
  CHECK_STATUSES,
  type CheckReport,
  FIX_IDS,
  VIAS,
} from '../shared/checks/report';
import {
  AccountResultSchema,
  CLIENT_IDS,
  HelloResultSchema,
  issueText,
  LaunchResultSchema,
} from '../shared/protocol';
import { AZURE_CLOUD_NAMES } from '../shared/resource-id';
import { isAuthorityTenant } from '../shared/tenant';

const VmId = v.pipe(v.string(), v.maxLength(1024));
export const CloudSchema = v.picklist(AZURE_CLOUD_NAMES);
const Cloud = CloudSchema;
/**
 * A tenant wherever one enters (messages, stored recents, settings, policy): shared/tenant.ts decides. It becomes
 * part of the sign-in authority's URL, so anything else (`../x`, spaces, 200 characters) is refused.
 */
export const TenantSchema = v.pipe(
  v.string(),
  v.check(
    isAuthorityTenant,
    'a tenant is a directory (tenant) GUID, a domain name such as contoso.onmicrosoft.com, "organizations" or "common"',
  ),
);
const Tenant = TenantSchema;
/** The background's proof that a report frame was opened by our own content script (see background/grants.ts). */
export const GRANT_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const Grant = v.optional(v.pipe(v.string(), v.regex(GRANT_PATTERN)));

/** Every failure a page shows: a code for tests and one sentence that says what to do. */
export const AdviceSchema = v.object({ code: v.picklist(ADVICE_CODES), message: v.string() });
export type Advice = v.InferOutput<typeof AdviceSchema>;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: Advice };

/** The reply of a request that can fail: `{ok: true, …entries}` or `{ok: false, error}`. */
function result<E extends v.ObjectEntries>(entries: E) {
  return v.variant('ok', [
    v.object({ ok: v.literal(true), ...entries }),
    v.object({ ok: v.literal(false), error: AdviceSchema }),
  ]);
}

const VmRefEntries = {
  id: v.string(),
  name: v.string(),
  resourceGroup: v.string(),
  subscriptionId: v.string(),
};
const VmRefSchema = v.object(VmRefEntries);
export type VmRef = v.InferOutput<typeof VmRefSchema>;

/** Stored text (background/stores.ts) is bounded. */
const Text = v.pipe(v.string(), v.maxLength(1024));

/** A VM the user checked or connected to: kept in storage.local (background/stores.ts), listed by the popup. */
export const RecentVmSchema = v.object({
  id: Text,
  name: Text,
  resourceGroup: Text,
  subscriptionId: Text,
  tenant: v.optional(TenantSchema),
  cloud: CloudSchema,
  lastResult: v.picklist(['ready', 'not-ready', 'error']),
  lastSummary: Text,
  lastCheckedAt: v.number(),
  lastConnectedAt: v.optional(v.number()),
  pinned: v.boolean(),
  /** From the last check: a Linux VM is reached with SSH, so the popup offers it no Connect. */
  os: v.optional(v.picklist(['windows', 'linux'])),
});
export type RecentVm = v.InferOutput<typeof RecentVmSchema>;

/** An NSG rule the extension added for the user's IP, until it expires or is removed. */
export const AddedRuleSchema = v.object({
  vmId: Text,
  nsgId: Text,
  ruleName: Text,
  sourceIp: Text,
  expires: Text,
});
export type AddedRule = v.InferOutput<typeof AddedRuleSchema>;

/**
 * A Bastion tunnel that closed with an error while the user had it (background/tunnel-notices.ts): the VM and the
 * one sentence why, kept in storage.session until the popup's "Connect again" (or Dismiss) clears it.
 */
export const TunnelNoticeSchema = v.object({
  tunnel: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  vmId: Text,
  vmName: Text,
  message: Text,
});
export type TunnelNotice = v.InferOutput<typeof TunnelNoticeSchema>;

const AuthStateSchema = v.object({ signedIn: v.boolean(), account: v.exactOptional(v.string()) });
export type AuthState = v.InferOutput<typeof AuthStateSchema>;

const NsgLayerDetailSchema = v.object({
  nsgId: v.nullable(v.string()),
  access: v.nullable(v.picklist(['Allow', 'Deny'])),
  rule: v.nullable(v.string()),
});

/** The check report of docs/PROTOCOL.md §4 (shared/checks/report.ts), as a page receives it. */
export const CheckReportSchema = v.object({
  vm: v.object({ ...VmRefEntries, location: v.string(), powerState: v.nullable(v.string()) }),
  target: v.object({
    address: v.nullable(v.string()),
    port: v.number(),
    via: v.nullable(v.picklist(VIAS)),
    fqdn: v.nullable(v.string()),
  }),
  sourceIp: v.nullable(v.string()),
  checks: v.array(
    v.object({
      id: v.picklist(CHECK_IDS),
      status: v.picklist(CHECK_STATUSES),
      summary: v.string(),
      fixes: v.array(v.picklist(FIX_IDS)),
      detail: v.exactOptional(v.object({ subnet: NsgLayerDetailSchema, nic: NsgLayerDetailSchema })),
    }),
  ),
  ready: v.boolean(),
});
/** The schema describes CheckReport exactly, both ways: neither can change without the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<v.InferOutput<typeof CheckReportSchema>, CheckReport>;

const RecentsReply = v.object({ recents: v.array(RecentVmSchema) });
const RulesReply = v.object({ rules: v.array(AddedRuleSchema) });
const TunnelNoticesReply = v.object({ notices: v.array(TunnelNoticeSchema) });
const LaunchReply = v.object({ launch: LaunchResultSchema });

/** Every request the background answers: who may send it is its prefix (`cs:` or `ui:`). */
export const MESSAGES = {
  /** The page's URL changed (also on single-page navigation): is it a VM page? Warms the host up if so. */
  'cs:page': {
    request: v.object({ type: v.literal('cs:page'), url: v.pipe(v.string(), v.maxLength(8192)) }),
    reply: v.object({
      vm: v.nullable(VmRefSchema),
      tenant: v.exactOptional(v.string()),
      cloud: v.exactOptional(Cloud),
    }),
  },
  /**
   * The user clicked "RDP now" (a trusted click) for the VM on the button: start its check while the frame loads,
   * and answer with the fresh grant of the frame being created (see background/grants.ts).
   */
  'cs:open': {
    request: v.object({
      type: v.literal('cs:open'),
      vmId: VmId,
      tenant: v.optional(Tenant),
      cloud: v.optional(Cloud),
    }),
    reply: v.object({
      started: v.boolean(),
      grant: v.exactOptional(v.pipe(v.string(), v.regex(GRANT_PATTERN))),
    }),
  },
  /** The report panel went away (closed, or taken out of the page): its frame's grant ends. */
  'cs:close': {
    request: v.object({ type: v.literal('cs:close'), grant: v.pipe(v.string(), v.regex(GRANT_PATTERN)) }),
    reply: v.object({ revoked: v.boolean() }),
  },
  /** After a click, a ready VM is launched at once: the launch (or why it failed) comes with the report. */
  'ui:check': {
    request: v.object({
      type: v.literal('ui:check'),
      vmId: VmId,
      tenant: v.optional(Tenant),
      cloud: v.optional(Cloud),
      grant: Grant,
    }),
    reply: result({
      report: CheckReportSchema,
      launch: v.exactOptional(LaunchResultSchema),
      launchError: v.exactOptional(AdviceSchema),
    }),
  },
  'ui:fix': {
    request: v.object({
      type: v.literal('ui:fix'),
      vmId: VmId,
      fix: v.picklist(ACTION_FIX_IDS),
      grant: Grant,
    }),
    reply: result({ report: CheckReportSchema }),
  },
  'ui:launch': {
    request: v.object({ type: v.literal('ui:launch'), vmId: VmId, grant: Grant }),
    reply: result(LaunchReply.entries),
  },
  /**
   * A report frame's launch went through: the background asks its tab's content script to close the panel (in
   * Firefox an extension frame inside a web page has no `tabs` API to ask itself, w3c/webextensions#787).
   */
  'ui:close-report': {
    request: v.object({ type: v.literal('ui:close-report'), vmId: VmId, grant: Grant }),
    reply: v.object({ closed: v.boolean() }),
  },
  /** With no host: the `.rdp` the host would have launched, canonical, for the browser to download. */
  'ui:rdp-file': {
    request: v.object({ type: v.literal('ui:rdp-file'), vmId: VmId, grant: Grant }),
    reply: result({ fileName: v.string(), rdp: v.string() }),
  },
  'ui:launch-address': {
    request: v.object({
      type: v.literal('ui:launch-address'),
      host: v.pipe(v.string(), v.maxLength(253)),
      port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
    }),
    reply: result(LaunchReply.entries),
  },
  'ui:recents': {
    request: v.object({ type: v.literal('ui:recents') }),
    reply: RecentsReply,
  },
  'ui:recent-update': {
    request: v.object({
      type: v.literal('ui:recent-update'),
      vmId: VmId,
      pinned: v.optional(v.boolean()),
      remove: v.optional(v.boolean()),
    }),
    reply: RecentsReply,
  },
  'ui:tunnel-notices': {
    request: v.object({ type: v.literal('ui:tunnel-notices') }),
    reply: TunnelNoticesReply,
  },
  'ui:tunnel-notice-clear': {
    request: v.object({
      type: v.literal('ui:tunnel-notice-clear'),
      tunnel: v.pipe(v.string(), v.maxLength(64)),
    }),
    reply: TunnelNoticesReply,
  },
  'ui:host-status': {
    request: v.object({ type: v.literal('ui:host-status') }),
    reply: result(HelloResultSchema.entries),
  },
  'ui:auth-state': {
    request: v.object({ type: v.literal('ui:auth-state') }),
    reply: AuthStateSchema,
  },
  'ui:sign-in': {
    request: v.object({ type: v.literal('ui:sign-in') }),
    reply: result(AuthStateSchema.entries),
  },
  'ui:sign-out': {
    request: v.object({ type: v.literal('ui:sign-out') }),
    reply: AuthStateSchema,
  },
  /** The host's kept sign-in for the configured cloud: accounts, and how the cache is protected. */
  'ui:host-account': {
    request: v.object({ type: v.literal('ui:host-account') }),
    reply: result(AccountResultSchema.entries),
  },
  'ui:rules': {
    request: v.object({ type: v.literal('ui:rules') }),
    reply: RulesReply,
  },
  'ui:remove-rule': {
    request: v.object({
      type: v.literal('ui:remove-rule'),
      nsgId: VmId,
      ruleName: v.pipe(v.string(), v.maxLength(80)),
    }),
    reply: result(RulesReply.entries),
  },
} as const;

export type MessageType = keyof typeof MESSAGES;
export type RequestOf<K extends MessageType> = v.InferOutput<(typeof MESSAGES)[K]['request']>;
export type ReplyOf<K extends MessageType> = v.InferOutput<(typeof MESSAGES)[K]['reply']>;
/** What the background answers to each request. */
export type Replies = { [K in MessageType]: ReplyOf<K> };

export type ContentMessage = RequestOf<Extract<MessageType, `cs:${string}`>>;
export type UiMessage = RequestOf<Extract<MessageType, `ui:${string}`>>;
export type AnyRequest = ContentMessage | UiMessage;
export type ReplyTo<M extends AnyRequest> = ReplyOf<M['type']>;

/** A request of one sender kind (`cs:` or `ui:`), validated; null for anything else. */
export function parseRequest<P extends 'cs:' | 'ui:'>(
  message: unknown,
  prefix: P,
): RequestOf<Extract<MessageType, `${P}${string}`>> | null {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !type.startsWith(prefix) || !Object.hasOwn(MESSAGES, type)) return null;
  const parsed = v.safeParse(MESSAGES[type as MessageType].request, message);
  return parsed.success ? (parsed.output as RequestOf<Extract<MessageType, `${P}${string}`>>) : null;
}

/**
 * Why a request of a known type for this sender kind is refused (the field and the rule it breaks, e.g.
 * `tenant: a tenant is …`), or null when it is valid or not such a request at all.
 */
export function requestProblem(message: unknown, prefix: 'cs:' | 'ui:'): string | null {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !type.startsWith(prefix) || !Object.hasOwn(MESSAGES, type)) return null;
  const parsed = v.safeParse(MESSAGES[type as MessageType].request, message);
  if (parsed.success) return null;
  const issue = parsed.issues[0];
  // Our own rules say what is expected; valibot's generic messages would repeat the value, so only the field.
  const rule = issue.type === 'check' ? issue.message : 'not a value this request takes';
  return `${v.getDotPath(issue) ?? 'the request'}: ${rule}`;
}

/** The background's reply to a request of type `type`, validated; what is wrong with it otherwise. */
export function parseReply<K extends MessageType>(
  type: K,
  reply: unknown,
): { ok: true; reply: ReplyOf<K> } | { ok: false; problem: string } {
  const parsed = v.safeParse(MESSAGES[type].reply, reply);
  return parsed.success
    ? { ok: true, reply: parsed.output }
    : { ok: false, problem: issueText(parsed.issues[0]) };
}

/** Background → pages: progress of a long operation (starting a VM, waiting for JIT). */
export interface ProgressMessage {
  type: 'bg:progress';
  vmId: string;
  text: string;
}

export const CLIENT_CHOICES = ['auto', ...CLIENT_IDS.filter((c) => c !== 'custom')] as const;

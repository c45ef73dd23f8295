/**
 * The extension's internal messages, named by direction (`cs:` content script → background, `ui:` an extension
 * page → background, `bg:` background → pages). Every message crossing `runtime.sendMessage` is validated here
 * by the receiver; the background also checks who sent it (see background/router.ts).
 */
import * as v from 'valibot';
import type { AdviceCode } from '../shared/advice-codes';
import { ACTION_FIX_IDS, type CheckReport } from '../shared/checks/report';
import { CLIENT_IDS, type HelloResult, type LaunchResult } from '../shared/protocol';
import { AZURE_CLOUD_NAMES } from '../shared/resource-id';

const VmId = v.pipe(v.string(), v.maxLength(1024));
export const CloudSchema = v.picklist(AZURE_CLOUD_NAMES);
const Cloud = CloudSchema;
const Tenant = v.pipe(v.string(), v.maxLength(256));
/** The background's proof that a report frame was opened by our own content script (see background/grants.ts). */
export const GRANT_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const Grant = v.optional(v.pipe(v.string(), v.regex(GRANT_PATTERN)));

export const ContentMessage = v.variant('type', [
  /** The page's URL changed (also on single-page navigation): is it a VM page? Warms the host up if so. */
  v.object({ type: v.literal('cs:page'), url: v.pipe(v.string(), v.maxLength(8192)) }),
  /** The user clicked "RDP now" (a trusted click) for the VM on the button: start its check while the frame loads. */
  v.object({ type: v.literal('cs:open'), vmId: VmId, tenant: v.optional(Tenant), cloud: v.optional(Cloud) }),
]);

export const UiMessage = v.variant('type', [
  v.object({
    type: v.literal('ui:check'),
    vmId: VmId,
    tenant: v.optional(Tenant),
    cloud: v.optional(Cloud),
    grant: Grant,
  }),
  v.object({
    type: v.literal('ui:fix'),
    vmId: VmId,
    fix: v.picklist(ACTION_FIX_IDS),
    grant: Grant,
  }),
  v.object({ type: v.literal('ui:launch'), vmId: VmId, grant: Grant }),
  v.object({
    type: v.literal('ui:launch-address'),
    host: v.pipe(v.string(), v.maxLength(253)),
    port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  }),
  v.object({ type: v.literal('ui:recents') }),
  v.object({
    type: v.literal('ui:recent-update'),
    vmId: VmId,
    pinned: v.optional(v.boolean()),
    remove: v.optional(v.boolean()),
  }),
  v.object({ type: v.literal('ui:host-status') }),
  v.object({ type: v.literal('ui:auth-state') }),
  v.object({ type: v.literal('ui:sign-in') }),
  v.object({ type: v.literal('ui:sign-out') }),
  v.object({ type: v.literal('ui:rules') }),
  v.object({
    type: v.literal('ui:remove-rule'),
    nsgId: VmId,
    ruleName: v.pipe(v.string(), v.maxLength(80)),
  }),
]);

export type ContentMessage = v.InferOutput<typeof ContentMessage>;
export type UiMessage = v.InferOutput<typeof UiMessage>;

/** Every failure a page shows: a code for tests and one sentence that says what to do. */
export interface Advice {
  code: AdviceCode;
  message: string;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; error: Advice };

export interface VmRef {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
}

export interface RecentVm extends VmRef {
  tenant?: string;
  cloud: v.InferOutput<typeof Cloud>;
  lastResult: 'ready' | 'not-ready' | 'error';
  lastSummary: string;
  lastCheckedAt: number;
  lastConnectedAt?: number;
  pinned: boolean;
}

export interface AddedRule {
  vmId: string;
  nsgId: string;
  ruleName: string;
  sourceIp: string;
  expires: string;
}

export interface AuthState {
  signedIn: boolean;
  account?: string;
}

/** What the background answers to each request. */
export interface Replies {
  'cs:page': { vm: VmRef | null; tenant?: string; cloud?: v.InferOutput<typeof Cloud>; grant?: string };
  /** After a click, a ready VM is launched at once: the launch (or why it failed) comes with the report. */
  'ui:check': Result<{ report: CheckReport; launch?: LaunchResult; launchError?: Advice }>;
  'cs:open': { started: boolean };
  'ui:fix': Result<{ report: CheckReport }>;
  'ui:launch': Result<{ launch: LaunchResult }>;
  'ui:launch-address': Result<{ launch: LaunchResult }>;
  'ui:recents': { recents: RecentVm[] };
  'ui:recent-update': { recents: RecentVm[] };
  'ui:host-status': Result<HelloResult>;
  'ui:auth-state': AuthState;
  'ui:sign-in': Result<AuthState>;
  'ui:sign-out': AuthState;
  'ui:rules': { rules: AddedRule[] };
  'ui:remove-rule': Result<{ rules: AddedRule[] }>;
}

/** Background → pages: progress of a long operation (starting a VM, waiting for JIT). */
export interface ProgressMessage {
  type: 'bg:progress';
  vmId: string;
  text: string;
}

export type AnyRequest = ContentMessage | UiMessage;
export type ReplyTo<M extends AnyRequest> = Replies[M['type']];

export const CLIENT_CHOICES = ['auto', ...CLIENT_IDS.filter((c) => c !== 'custom')] as const;

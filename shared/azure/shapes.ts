/**
 * The parts of ARM's response bodies the checks read, validated at the boundary: a body that does not fit is
 * an `ArmError` of kind `malformed`, never a crash or a guess. Extra fields are allowed (ARM adds them freely).
 */
import * as v from 'valibot';
import { ArmError } from './arm';

const Ref = v.looseObject({ id: v.string() });
const OptionalRef = v.optional(Ref);
const Str = v.optional(v.string());
const Strs = v.optional(v.array(v.string()));

export const VmSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  location: v.string(),
  properties: v.looseObject({
    storageProfile: v.optional(v.looseObject({ osDisk: v.optional(v.looseObject({ osType: Str })) })),
    networkProfile: v.optional(
      v.looseObject({
        networkInterfaces: v.optional(
          v.array(
            v.looseObject({
              id: v.string(),
              properties: v.optional(v.looseObject({ primary: v.optional(v.boolean()) })),
            }),
          ),
        ),
      }),
    ),
    instanceView: v.optional(
      v.looseObject({ statuses: v.optional(v.array(v.looseObject({ code: v.string() }))) }),
    ),
  }),
});
export type Vm = v.InferOutput<typeof VmSchema>;

export const IpConfigurationSchema = v.looseObject({
  id: Str,
  name: Str,
  properties: v.looseObject({
    primary: v.optional(v.boolean()),
    privateIPAddress: Str,
    subnet: OptionalRef,
    publicIPAddress: OptionalRef,
    loadBalancerInboundNatRules: v.optional(v.array(Ref)),
    applicationSecurityGroups: v.optional(v.array(Ref)),
  }),
});

export const NicSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    networkSecurityGroup: OptionalRef,
    ipConfigurations: v.array(IpConfigurationSchema),
  }),
});
export type Nic = v.InferOutput<typeof NicSchema>;
export type IpConfiguration = v.InferOutput<typeof IpConfigurationSchema>;

export const PublicIpSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    ipAddress: Str,
    publicIPAllocationMethod: Str,
    dnsSettings: v.optional(v.looseObject({ fqdn: Str })),
  }),
});
export type PublicIp = v.InferOutput<typeof PublicIpSchema>;

export const SubnetSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({ addressPrefix: Str, addressPrefixes: Strs, networkSecurityGroup: OptionalRef }),
});
export type Subnet = v.InferOutput<typeof SubnetSchema>;

export const VnetSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    addressSpace: v.optional(v.looseObject({ addressPrefixes: Strs })),
    subnets: v.optional(v.array(SubnetSchema)),
  }),
});
export type Vnet = v.InferOutput<typeof VnetSchema>;

const RuleSchema = v.looseObject({
  name: Str,
  id: Str,
  properties: v.optional(
    v.looseObject({
      priority: v.optional(v.number()),
      direction: Str,
      access: Str,
      protocol: Str,
      sourceAddressPrefix: Str,
      sourceAddressPrefixes: Strs,
      destinationAddressPrefix: Str,
      destinationAddressPrefixes: Strs,
      sourcePortRange: Str,
      sourcePortRanges: Strs,
      destinationPortRange: Str,
      destinationPortRanges: Strs,
      sourceApplicationSecurityGroups: v.optional(v.array(Ref)),
      destinationApplicationSecurityGroups: v.optional(v.array(Ref)),
      description: Str,
    }),
  ),
});
export type SecurityRuleBody = v.InferOutput<typeof RuleSchema>;

export const NsgSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    securityRules: v.optional(v.array(RuleSchema)),
    defaultSecurityRules: v.optional(v.array(RuleSchema)),
  }),
});
export type Nsg = v.InferOutput<typeof NsgSchema>;

export const LoadBalancerSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    frontendIPConfigurations: v.optional(
      v.array(
        v.looseObject({
          id: v.string(),
          properties: v.optional(v.looseObject({ publicIPAddress: OptionalRef })),
        }),
      ),
    ),
    inboundNatRules: v.optional(
      v.array(
        v.looseObject({
          id: v.string(),
          name: v.string(),
          properties: v.looseObject({
            frontendIPConfiguration: OptionalRef,
            frontendPort: v.optional(v.number()),
            backendPort: v.optional(v.number()),
            protocol: Str,
          }),
        }),
      ),
    ),
  }),
});
export type LoadBalancer = v.InferOutput<typeof LoadBalancerSchema>;

const JitPortSchema = v.looseObject({
  number: v.number(),
  protocol: Str,
  allowedSourceAddressPrefix: Str,
  allowedSourceAddressPrefixes: Strs,
  maxRequestAccessDuration: v.string(),
});
const JitRequestPortSchema = v.looseObject({
  number: v.number(),
  endTimeUtc: v.string(),
  status: v.string(),
  allowedSourceAddressPrefix: Str,
  allowedSourceAddressPrefixes: Strs,
});

export const JitPolicySchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  properties: v.looseObject({
    virtualMachines: v.array(v.looseObject({ id: v.string(), ports: v.array(JitPortSchema) })),
    requests: v.optional(
      v.array(
        v.looseObject({
          virtualMachines: v.array(v.looseObject({ id: v.string(), ports: v.array(JitRequestPortSchema) })),
          startTimeUtc: Str,
        }),
      ),
    ),
  }),
});
export type JitPolicy = v.InferOutput<typeof JitPolicySchema>;

/** Validates one ARM body; `what` names it in the error ("the network interface vm1-nic"). */
export function parseBody<S extends v.GenericSchema>(
  schema: S,
  body: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const path = result.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? '';
  throw new ArmError(
    'malformed',
    `Azure answered with an unexpected body for ${what}${path ? ` (at ${path})` : ''}.`,
    null,
    'MalformedResponse',
  );
}

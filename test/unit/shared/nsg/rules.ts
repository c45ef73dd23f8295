/** NSG rule and group builders shared by the NSG unit tests. */
import type {
  NetworkSecurityGroup,
  NsgAccess,
  SecurityRule,
  SecurityRuleProperties,
} from '../../../../shared/nsg/evaluate.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers';
export const nsgId = (name: string) => `${SUB}/Microsoft.Network/networkSecurityGroups/${name}`;
export const asgId = (name: string) => `${SUB}/Microsoft.Network/applicationSecurityGroups/${name}`;

/** An inbound TCP rule to port 3389 from anywhere, with `props` overriding any of that. */
export function rule(
  name: string,
  priority: number,
  access: NsgAccess,
  props: SecurityRuleProperties = {},
): SecurityRule {
  return {
    name,
    id: `${nsgId('any')}/securityRules/${name}`,
    properties: {
      priority,
      access,
      direction: 'Inbound',
      protocol: 'Tcp',
      sourceAddressPrefix: '*',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '3389',
      ...props,
    },
  };
}

export const allow = (name: string, priority: number, props: SecurityRuleProperties = {}) =>
  rule(name, priority, 'Allow', props);
export const deny = (name: string, priority: number, props: SecurityRuleProperties = {}) =>
  rule(name, priority, 'Deny', props);

/** An NSG with these custom rules and these default rules. */
export function nsg(name: string, rules: SecurityRule[], defaults: readonly SecurityRule[] | undefined) {
  return {
    id: nsgId(name),
    name,
    properties: { securityRules: rules, defaultSecurityRules: defaults },
  } satisfies NetworkSecurityGroup;
}

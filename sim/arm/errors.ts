/** ARM's error answers: always `{"error": {"code", "message"}}`, with the codes ARM uses for each case. */
import { SUBSCRIPTION_ID, TENANT_ID } from './ids';

export class ArmFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ArmFailure';
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The code ARM answers with for a status when nothing more specific applies (used by injected faults). */
export function defaultCode(status: number): string {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'AuthenticationFailed',
    403: 'AuthorizationFailed',
    404: 'ResourceNotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    412: 'PreconditionFailed',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return codes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
}

export function faultFailure(status: number, retryAfterSeconds: number | undefined): ArmFailure {
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  const message =
    status === 429
      ? `Number of requests for subscription '${SUBSCRIPTION_ID}' exceeded the limit. Please try again after '${retryAfterSeconds ?? 5}' seconds.`
      : `The simulated Azure was told to fail this request with ${status}.`;
  return new ArmFailure(status, defaultCode(status), message, headers);
}

const challenge = (description: string) => ({
  'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${TENANT_ID}", error="invalid_token", error_description="${description}"`,
  'x-ms-failure-cause': 'gateway',
});

export const missingToken = () =>
  new ArmFailure(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is missing.",
    challenge("The authentication failed because of missing 'Authorization' header."),
  );

export const invalidToken = () =>
  new ArmFailure(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    challenge('The access token is from the wrong issuer or has an invalid format.'),
  );

export function expiredToken(now: Date): ArmFailure {
  const expiry = new Date(now.getTime() - 5 * 60_000).toISOString();
  return new ArmFailure(
    401,
    'ExpiredAuthenticationToken',
    `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${now.toISOString()}'.`,
    challenge('The access token has expired.'),
  );
}

/** The client and object ids ARM names in a 403; the simulation has a single signed-in user. */
const CLIENT_ID = '3f8a2c61-4b7d-4e19-8a05-6c2d9e1b7f40';

export const authorizationFailed = (action: string, scope: string) =>
  new ArmFailure(
    403,
    'AuthorizationFailed',
    `The client '${CLIENT_ID}' with object id '${CLIENT_ID}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    { 'x-ms-failure-cause': 'gateway' },
  );

export const subscriptionNotFound = (subscription: string) =>
  new ArmFailure(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);

export const resourceGroupNotFound = (group: string) =>
  new ArmFailure(404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);

/** `type` as in ARM's message: `Microsoft.Network/networkInterfaces/vm-nic`. */
export const resourceNotFound = (typeAndName: string, group: string) =>
  new ArmFailure(
    404,
    'ResourceNotFound',
    `The Resource '${typeAndName}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

export const parentResourceNotFound = (parent: string) =>
  new ArmFailure(
    404,
    'ParentResourceNotFound',
    `Can not perform requested operation on nested resource. Parent resource '${parent}' not found.`,
  );

export const noRoute = (url: string) =>
  new ArmFailure(404, 'NotFound', `No HTTP resource was found that matches the request URI '${url}'.`);

export const methodNotAllowed = (method: string) =>
  new ArmFailure(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);

export const badRequest = (code: string, message: string) => new ArmFailure(400, code, message);

export const invalidContent = (reason: string) =>
  new ArmFailure(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${reason}'.`,
  );

import { AppError } from '../../platform/errors';

/** Claim names of IMS LTI 1.3 Core, Deep Linking 2.0 and AGS 2.0. */
export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  presentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  deepLinking: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  data: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
} as const;
export const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

export type LaunchClaims = {
  iss: string;
  sub: string;
  nonce: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  [CLAIM.messageType]: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  [CLAIM.deploymentId]: string;
  [CLAIM.version]?: string;
  [CLAIM.targetLinkUri]?: string;
  [CLAIM.roles]?: string[];
  [CLAIM.custom]?: Record<string, unknown>;
  [CLAIM.presentation]?: { locale?: string };
  [CLAIM.ags]?: { scope?: string[]; lineitem?: string; lineitems?: string };
  [CLAIM.deepLinking]?: { deep_link_return_url: string; accept_types?: string[]; data?: string };
};

/** A launch we refuse: a 400 (401 for a bad token) with a message in the learner's language. */
export class LaunchRefused extends AppError {
  constructor(reason: 'state' | 'platform' | 'token' | 'audience' | 'expired' | 'nonce' | 'replay' | 'deployment' | 'message' | 'role') {
    super(reason === 'token' || reason === 'audience' || reason === 'expired' ? 401 : 400, `LTI_${reason.toUpperCase()}`, `lti:errors.${reason}`);
  }
}

/** Instructors and content developers (LIS roles, context or institution) may place our content. */
export function mayPlaceContent(roles: readonly string[] = []): boolean {
  return roles.some((r) => /#(Instructor|ContentDeveloper|Administrator)$/.test(r) || /\/membership\/(Instructor|ContentDeveloper)$/.test(r));
}

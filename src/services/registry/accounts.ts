import { changePassword, completeTotpSignIn, currentSession, signIn, signOut } from '../auth-service.ts';
import { completeSetup, isSetupTokenValid, issueSetupToken } from '../setup-service.ts';
import { pruneExpiredSignInState } from '../sign-in-state-service.ts';
import { discardKeptForm, findKeptForm, keepForm } from '../kept-form-service.ts';
import { recoveryCodesLeft, takeCodesToShow } from '../recovery-codes.ts';
import { regenerateRecoveryCodes, resetSecondFactor } from '../second-factor-service.ts';
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from '../token-service.ts';
import { changeTotp, totpSetUp } from '../totp-service.ts';
import { mfaRequiredRoles, setRolesRequiringMfa } from '../mfa-policy-service.ts';
import {
  addUser,
  editUser,
  findAccountByUsername,
  getAccount,
  listAccounts,
  resetPassword,
  setUserDisabled,
} from '../user-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Staff accounts and signing in: sessions, the second factor, API tokens, the administrators'
 * account pages and the first-administrator set-up.
 */
export function accountServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    signIn,
    currentSession,
    completeTotpSignIn,
    signOut,
    changePassword,
    totpSetUp,
    changeTotp,
    regenerateRecoveryCodes,
    recoveryCodesLeft,
    takeCodesToShow,
    resetSecondFactor,
    createToken: createApiToken,
    listTokens: listApiTokens,
    revokeToken: revokeApiToken,
    authenticateToken: authenticateApiToken,
    list: listAccounts,
    get: getAccount,
    findByUsername: findAccountByUsername,
    add: addUser,
    edit: editUser,
    setDisabled: setUserDisabled,
    resetPassword,
    rolesRequiringMfa: mfaRequiredRoles,
    setRolesRequiringMfa,
    issueSetupToken,
    isSetupTokenValid,
    completeSetup,
    pruneSignInState: pruneExpiredSignInState,
    keepForm,
    findKeptForm,
    discardKeptForm,
  });
}

import { GuardloopError } from './guardloop-error.js';
import { noPackageJson } from '../messages/setup.js';

// `guardloop init` found no package.json to add husky and the prepare script to.
export class NoPackageJsonError extends GuardloopError<{ root: string }> {
  constructor(root: string) {
    super('NO_PACKAGE_JSON', noPackageJson(root), { root }, 2);
    this.name = 'NoPackageJsonError';
  }
}

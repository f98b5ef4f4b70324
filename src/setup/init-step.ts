// One thing init did (or found already done), for the report printed to the user.
export interface InitStep {
  what: string;
  changed: boolean;
}

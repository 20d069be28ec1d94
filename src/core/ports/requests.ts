/** Platform requests already taken by any process, remembered until a replay of them would be refused anyway. */
export interface RequestStore {
  /** True the first time `key` is offered (or once `forgetAfter` of its last offer has passed); false for a repeat. */
  firstTime(key: string, at: Date, forgetAfter: Date): Promise<boolean>;
}

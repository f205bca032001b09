/** What a user did with one slate position (RecSim's `AbstractResponse`). */
export interface RecResponse<RO> {
  /** The observable part, an element of the user model's `responseSpace`. */
  observation(): RO;
}

/** A response that says whether its document was clicked; the stock reward functions read it. */
export interface ClickResponse {
  /** True for the (at most one) clicked slate position. */
  readonly clicked: boolean;
}

/** Stripe's test payment methods (`pm_card_*`) and what a charge on each does. */

export interface TestCard {
  brand: string;
  last4: string;
  funding: string;
  country: string;
  /** Absent: the charge succeeds. */
  decline?: { code: string; decline_code?: string; message: string };
}

const declined = (decline_code: string, message = "Your card was declined.") => ({
  code: "card_declined",
  decline_code,
  message,
});

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: "visa", last4: "4242", funding: "credit", country: "US" },
  pm_card_visa_debit: { brand: "visa", last4: "5556", funding: "debit", country: "US" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", funding: "credit", country: "US" },
  pm_card_mastercard_debit: { brand: "mastercard", last4: "8210", funding: "debit", country: "US" },
  pm_card_amex: { brand: "amex", last4: "8431", funding: "credit", country: "US" },
  pm_card_discover: { brand: "discover", last4: "1117", funding: "credit", country: "US" },
  pm_card_jcb: { brand: "jcb", last4: "0505", funding: "credit", country: "JP" },
  pm_card_unionpay: { brand: "unionpay", last4: "0005", funding: "credit", country: "CN" },
  pm_card_gb: { brand: "visa", last4: "0000", funding: "credit", country: "GB" },
  pm_card_de: { brand: "visa", last4: "0000", funding: "credit", country: "DE" },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    funding: "credit",
    country: "US",
    decline: declined("generic_decline"),
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    funding: "credit",
    country: "US",
    decline: declined("insufficient_funds", "Your card has insufficient funds."),
  },
  pm_card_chargeDeclinedLostCard: {
    brand: "visa",
    last4: "9987",
    funding: "credit",
    country: "US",
    decline: declined("lost_card"),
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: "visa",
    last4: "9979",
    funding: "credit",
    country: "US",
    decline: declined("stolen_card"),
  },
  pm_card_chargeDeclinedFraudulent: {
    brand: "visa",
    last4: "0019",
    funding: "credit",
    country: "US",
    decline: declined("fraudulent"),
  },
  pm_card_chargeDeclinedVelocityLimitExceeded: {
    brand: "visa",
    last4: "6975",
    funding: "credit",
    country: "US",
    decline: declined("card_velocity_exceeded", "Your card has exceeded its velocity limit."),
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    funding: "credit",
    country: "US",
    decline: {
      code: "expired_card",
      decline_code: "expired_card",
      message: "Your card has expired.",
    },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: "visa",
    last4: "0127",
    funding: "credit",
    country: "US",
    decline: {
      code: "incorrect_cvc",
      decline_code: "incorrect_cvc",
      message: "Your card's security code is incorrect.",
    },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    funding: "credit",
    country: "US",
    decline: {
      code: "processing_error",
      decline_code: "processing_error",
      message: "An error occurred while processing your card. Try again in a little bit.",
    },
  },
};

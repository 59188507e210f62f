/**
 * Jump.Finance forbids a bank card number in any text field of a payout except the requisite's account number
 * ([1C]: payment_purpose, service_name, customer_payment_id). A text "looks like a card number" when it holds a
 * chain of 13–19 digits — written together or in groups split by single spaces or dashes, as cards are printed —
 * that passes the Luhn check every payment card number passes. Longer chains (a 20-digit bank account) and
 * shorter ones (a phone, an INN) are not cards.
 */

const DIGIT_CHAIN = /\d+(?:[ -]\d+)*/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function looksLikeCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_CHAIN)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

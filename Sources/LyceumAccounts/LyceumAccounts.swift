/// Accounts: password hashing and SASL mechanisms over OpenSSL, API tokens, and the account
/// service that answers the core's `AccountRequest`s off the core's queue.
public enum LyceumAccounts {}

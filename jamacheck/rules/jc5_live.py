"""JC5xx: live checks against the instance (``--live``). Emitted by jamacheck/live/."""

from jamacheck.rules._rule import Rule

UNRESOLVED_SECRET = Rule(
    "JC501", "unresolved-secret", "error", "A referenced environment variable is not set.",
    what="With --live, reports a `${NAME}` reference whose variable is neither in the environment "
         "nor in `--env-file`. The connector's other live checks are skipped: no request is sent.",
    why="Sending an empty or literal `${NAME}` password would fail the login, and repeated failed "
        "basic logins lock the service account.",
    example="""
          password: ${JAMA_PASSWORD}   # and JAMA_PASSWORD is not set
        """,
    fix="""
        JAMA_PASSWORD=... jamacheck check --live connectors/
        # or: jamacheck check --live --env-file .env connectors/
        """,
)

CONNECTION_FAILED = Rule(
    "JC502", "connection-failed", "error", "DNS, refused connection, timeout or TLS failure.",
    what="With --live, reports an instance that cannot be reached, naming which: the host name "
         "does not resolve, the connection is refused, a timeout, or a TLS failure with the "
         "certificate problem (expired, wrong host, unknown CA).",
    why="Interchange would fail the same way; this tells you whether to look at the URL, the "
        "network, or the certificate.",
    example="""
          url: https://jama.acme.internal   # served with a certificate from an internal CA
        """,
    fix="""
        jamacheck check --live --ca-bundle acme-internal-ca.pem connectors/
        """,
)

LOGIN_FAILED = Rule(
    "JC503", "login-failed", "error", "The instance refused the login.",
    what="With --live, reports a refused login and says what the answer means. Jama basic 401: "
         "the REST API does not tell apart a wrong username or password, an account that is not a "
         "Named Creator (Creator Float and every other licence type get 401), a deactivated "
         "account, and SSO/SAML (where basic logins are refused: use oauth). Jama OAuth: the token "
         "endpoint refusing (401, 400 invalid_client, no `access_token`) means the client ID or "
         "secret is wrong or revoked; a token granted and then 401 on users/current means the "
         "credentials are good but the account behind them is refused. Jira: 401/403, and the "
         "Data Center CAPTCHA (403 with X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE), "
         "cleared by signing in once in a browser. A refused basic login is never retried.",
    why="Jama locks accounts after repeated failed basic logins; Interchange retries on its own "
        "schedule, so a bad secret can lock the service account for every integration.",
    example="""
          auth: {type: oauth, client_id: interchange, client_secret: "${JAMA_CLIENT_SECRET}"}
          # JAMA_CLIENT_SECRET holds a revoked secret
        """,
    fix="""
        # Create new API credentials as the service account (My Profile > Set API Credentials)
        # and store the secret in the CI secret store as JAMA_CLIENT_SECRET.
        """,
)

API_ACCESS_DENIED = Rule(
    "JC504", "api-access-denied", "error", "403: the user is not permitted to use the API.",
    what="With --live, reports Jama's 403 \"This user is not permitted to use the API\": REST API "
         "access control (Jama 9.17 and later) is on and the account is not in it.",
    why="REST API access control is on for the instance and the service account is not in the "
        "allowed users or groups; every Interchange call will be refused. The fix is in Admin > "
        "Organization > REST API.",
    example="""
        # Admin > Organization > REST API lists only the 'API users' group
        """,
    fix="""
        # Add the service account (or its group) to the REST API access list.
        """,
)

NOT_CREATOR_LICENSE = Rule(
    "JC505", "not-creator-license", "error", "The user's licenseType is not NAMED.",
    what="With --live, reports a service account whose `licenseType` is anything but `NAMED` "
         "(Named Creator), naming the type found and why it fails. Real Jama refuses such accounts "
         "at login already (401, reported as JC503 naming this cause); this rule catches a server "
         "that answers anyway.",
    why="Interchange needs a Creator licence, and only Named Creators may use the REST API: "
        "Creator Float users get 401, Collaborator, Reviewer, Stakeholder and Test Runner "
        "licences cannot edit the integrated items.",
    example="""
        # the service account holds a FLOATING (Creator Float) licence
        """,
    fix="""
        # Assign the service account a Named Creator licence (JCI includes one for it).
        """,
)

USER_INACTIVE = Rule(
    "JC506", "user-inactive", "error", "The user is deactivated.",
    what="With --live, reports a service account whose `active` flag is false (Jama refuses a "
         "deactivated account at login, JC503 naming this cause; Jira answers `active: false`).",
    why="A deactivated user cannot act in Jama: every sync would fail.",
    example="""
        # GET /rest/v1/users/current answers "active": false
        """,
    fix="""
        # Reactivate the service account in Admin > Users.
        """,
)

NOT_ADMIN = Rule(
    "JC507", "not-admin", "warning", "The user is in none of `admin_groups` (admin given directly cannot be seen).",
    what="With --live, reports a Jama service account that belongs to none of the connector's "
         "`admin_groups` (default: Organization Admin), read from `/rest/v1/usergroups` and "
         "`/rest/v1/usergroups/{id}/users`. It is a warning: the organization administrator role "
         "can also be given to a user directly, and the REST API shows only group membership. "
         "Where admin rights are only ever granted through groups, re-level it to error "
         "(`severity = {JC507 = \"error\"}` in the configuration).",
    why="Interchange's Jama connector needs administrative privileges; without them, item types "
        "and picklists cannot be read for mapping.",
    example="""
          admin_groups: [Organization Admin]   # and the account is not a member
        """,
    fix="""
          # add the account to the group, or name the group that grants admin:
          admin_groups: [Interchange Admins]
        """,
)

ADMIN_UNVERIFIED = Rule(
    "JC508", "admin-unverified", "warning", "The groups could not be read; admin rights are unknown.",
    what="With --live, reports that the user groups could not be read (for example 403 on "
         "`/rest/v1/usergroups`), or that reading them reached the cap of 500 requests for one "
         "connector, so admin rights are unknown. jamacheck never guesses.",
    why="The REST API has no admin flag; membership of an admin group is the only evidence. "
        "Unknown is not the same as no.",
    example="""
        # GET /rest/v1/usergroups answers 403
        """,
    fix="""
        # Confirm the account's admin role by hand, or let it read user groups.
        """,
)

PROJECT_ACCESS = Rule(
    "JC509", "project-access", "error", "A listed project cannot be read (or written).",
    what="With --live, reports a project from `projects` that the account cannot read (the project "
         "or its items answer 401/403/404; Jira: the project's search or permissions), or cannot "
         "write: its items' `resources.self.allowed` lists neither PUT nor PATCH, or, with "
         "`--probe-write`, Jama refuses to lock an item nobody holds. Jira: a permission missing, "
         "asked for an issue the account did not report (a project-level answer counts the "
         "reporter role).",
    why="Interchange needs to read and write the integrated items; a missing permission breaks "
        "the sync for that project only, which is easy to miss.",
    example="""
          projects: [REQ, 42]   # and the account has no access to REQ
        """,
    fix="""
        # Grant the service account read/write on the project (directly or through a group).
        """,
)

UNEXPECTED_RESPONSE = Rule(
    "JC510", "unexpected-response", "error", "A 3xx, 5xx, 429 after retries, or an unusable answer.",
    what="With --live, reports an answer jamacheck cannot use: a redirect (with its target; "
         "redirects are not followed), a server error, 429 after three tries (waits of 3 s and "
         "5 s) or with a Retry-After over 10 s, a body that is not JSON, cut short, over 5 MiB "
         "after decompression, or of the wrong shape (`data: null`, a string where a list "
         "belongs), a refused Jira permission query (400), or a check that could not finish. "
         "Only the check it hit fails: the others, and the other connectors, go on.",
    why="A redirect usually means the URL is not the instance's base URL (a login page, http to "
        "https), and a 5xx or throttling means Interchange will fail too.",
    example="""
          url: https://acme.jamacloud.com/jama   # redirects to the login page
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
)

RULES = (UNRESOLVED_SECRET, CONNECTION_FAILED, LOGIN_FAILED, API_ACCESS_DENIED,
         NOT_CREATOR_LICENSE, USER_INACTIVE, NOT_ADMIN, ADMIN_UNVERIFIED, PROJECT_ACCESS,
         UNEXPECTED_RESPONSE)

"""``/presentations/verify`` as the W3C VC-API names it: a holder's presentation, its
holder proof checked with the verifier's challenge and domain, and each credential in it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from registry.http.documentation import answered, documented
from registry.http.wire import VerifyPresentationRequest
from registry.http.wire_answers import PresentationAnswer
from registry.services.records.answers import answer
from registry.services.verification.presentations import verify_presentation
from registry.services.verification.verifier import Verifier

PRESENTATION_CODES = {
    400: "MALFORMED_JSON, REQUEST_INVALID, JSON_TOO_DEEP, PRESENTATION_MALFORMED (not an object)",
    422: "the presentation itself is invalid: VC_V1_UNSUPPORTED, PRESENTATION_CONTEXT_INVALID, "
    "PRESENTATION_TYPE_INVALID, PRESENTATION_HOLDER_INVALID, PRESENTATION_CREDENTIAL_INVALID, "
    "PRESENTATION_PROOF_MISSING (a challenge or domain was given, no proof), "
    "PRESENTATION_PROOF_INVALID, PRESENTATION_PROOF_UNSUPPORTED, "
    "PRESENTATION_PROOF_PURPOSE_INVALID, PRESENTATION_METHOD_UNSUPPORTED (not a did:key), "
    "HOLDER_KEY_MISMATCH, CHALLENGE_MISMATCH, DOMAIN_MISMATCH, PRESENTATION_SIGNATURE_INVALID",
}
NOT_VERIFIED = (
    "the presentation holds but a credential in it did not verify: the same body with "
    "`verified: false`, each credential's answer with its checks and `problemDetails` "
    "(表述有效，但其中的凭证未通过核验)"
)


class PresentationController(Controller):
    """``/presentations/verify`` (no token: verification is public)."""

    path = "/presentations"
    tags = ["verification"]  # noqa: RUF012

    @post(
        "/verify",
        sync_to_thread=False,  # CPU-bound as /credentials/verify, one read per credential
        status_code=200,
        responses={
            **answered(200, PresentationAnswer, "verified / 核验通过"),
            **documented(400, 413, 422, codes=PRESENTATION_CODES),
        },
    )
    def verify(
        self, request: Request[Any, Any, Any], data: JSONBody[VerifyPresentationRequest]
    ) -> Response[dict[str, Any]]:
        """200 when the holder proof holds (checked with ``options.challenge`` and
        ``options.domain``) and every credential verifies; 422 with the same body when a
        credential does not; a 4xx problem with its code when the presentation itself is
        invalid. A presentation without a proof is verified only when no challenge and no
        domain were given."""
        verifier: Verifier = request.app.state.verifier
        result = verify_presentation(
            verifier,
            data.verifiablePresentation,
            challenge=data.options.challenge,
            domain=data.options.domain,
            now=datetime.now(UTC),
        )
        proof = result.presentation.proof
        body = {
            "verified": result.verified,
            "presentationResult": {
                "verified": True,
                "holder": result.presentation.holder,
                "proof": {
                    "verificationMethod": proof.verification_method,
                    "challenge": proof.challenge,
                    "domain": proof.domain,
                    "created": proof.created,
                }
                if proof.present
                else None,
            },
            "credentialResults": [answer(item) for item in result.credentials],
        }
        return Response(body, status_code=200 if result.verified else 422)

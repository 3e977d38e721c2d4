# language: zh-CN
功能: 通过 VC-API 签发、核验、出示并撤销通用凭证
  A partner on another credential stack uses the W3C VC-API: its system issues a generic
  VCDM 2.0 credential (no record type of ours) with the issuer token of a bureau of ours,
  verifies it, has the holder present it in a verifiable presentation answering the
  verifier's challenge, and sees it revoked everywhere after the bureau revokes it.

  嘉善县人社局的合作系统不使用本登记系统的记录类型，而是按 W3C VC-API 提交一份通用的 VC 2.0 凭证
  （培训结业证明）。登记系统以嘉善县人社局的密钥签名、分配 urn:uuid 标识并加上撤销与暂扣两个状态项；
  任何人都能核验它；持证人用自己的 did:key 钱包把它放进可验证表述，回应核验方给出的 challenge 与
  domain；嘉善县人社局撤销后，凭证和表述的核验结果都显示已撤销，状态列表中对应的位也被置 1。

  背景:
    假如 嘉善县人社局的合作系统通过 VC-API 为持证人的 did:key 签发一份培训结业证明

  场景: 签发的通用凭证带有登记系统的标识、状态项和签名，并能通过核验
    那么 响应状态码为 201
    而且 凭证标识以 "urn:uuid:" 开头，签发机构是嘉善县人社局
    而且 凭证带有 "revocation" 和 "suspension" 两个 BitstringStatusListEntry 状态项
    而且 凭证的证明使用密码套件 "eddsa-jcs-2022"
    当 合作系统通过 VC-API 核验该凭证
    那么 核验结果为有效，证书状态为 "active"

  场景: 持证人在可验证表述中出示凭证，回应核验方的 challenge 与 domain
    当 持证人以 challenge "c-2026-12" 和 domain "hr.partner.example" 签名出示该凭证
    而且 核验方以 challenge "c-2026-12" 和 domain "hr.partner.example" 核验该表述
    那么 响应状态码为 200
    而且 表述核验通过，其中的凭证核验通过
    当 核验方以 challenge "another-challenge" 和 domain "hr.partner.example" 核验该表述
    那么 响应状态码为 422
    而且 错误代码为 "CHALLENGE_MISMATCH"

  场景: 嘉善县人社局撤销后，凭证与表述的核验都显示已撤销
    当 嘉善县人社局以原因 "issued_in_error" 撤销该凭证
    那么 响应状态码为 200
    当 合作系统通过 VC-API 核验该凭证
    那么 核验结果为无效
    而且 检查 "status" 的结果为 "failed"，代码为 "STATUS_REVOKED"
    而且 嘉善县人社局的撤销状态列表中该凭证的位为 1
    当 持证人以 challenge "c-2026-12" 和 domain "hr.partner.example" 签名出示该凭证
    而且 核验方以 challenge "c-2026-12" 和 domain "hr.partner.example" 核验该表述
    那么 响应状态码为 422
    而且 表述中的凭证状态为 "revoked"

  场景: VC 1.1 的凭证被拒绝，并说明原因
    当 合作系统通过 VC-API 提交一份 VC 1.1 凭证
    那么 响应状态码为 422
    而且 错误代码为 "VC_V1_UNSUPPORTED"

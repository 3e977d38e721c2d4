# language: zh-CN
功能: 博士后在站记录：示范区博士后科研工作站的进站、出站
  Postdoctoral affiliation: the zone's workstation records a postdoc entering a branch at a
  Wujiang enterprise; an employer scans it, a partner queries it; when she leaves the
  station (completed or withdrawn) the record is amended and the old QR code shows it was
  superseded. A fresh record of leaving while the in-station record is active is refused,
  and leaving is final: no amendment brings the record back in station.

  场景: 博士后工作站总站登记博士后进站
    当 博士后工作站总站为 "林雨桐" 登记进站，分站 "吴江演示精密机械分站"，设站单位 "吴江演示精密机械有限公司"，进站日期 "2024-09-01"
    那么 响应状态码为 201
    而且 凭证类型为 "PostdocAffiliationCredential"，在站状态为 "在站"
    而且 二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码

  场景: 用人单位扫码核验在站记录
    假如 博士后工作站总站已登记林雨桐进站
    当 用人单位扫描证书二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的姓名为 "林*桐"
    而且 显示的分站为 "吴江演示精密机械分站"，设站单位为 "吴江演示精密机械有限公司"，在站状态为 "在站"（"In station"）
    而且 回答中没有合作高校、学科、导师和证书编号，也没有林雨桐的全名和身份证号码

  场景: 伙伴系统通过接口查询在站记录
    假如 博士后工作站总站已登记林雨桐进站
    当 青浦区的伙伴系统以事由 "博士后人才政策兑现审核" 提交证书的二维码链接
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 伙伴系统还看到合作高校 "示例理工大学"、学科 "机械工程"、合作导师 "欧阳振华" 和 "周明德"
    而且 回答中没有林雨桐的身份证号码

  场景: 博士后出站，旧二维码显示已被新版本取代
    假如 博士后工作站总站已登记林雨桐进站
    当 博士后工作站总站为林雨桐办理出站，出站日期 "2026-08-31"
    那么 响应状态码为 201
    而且 新版本的凭证写明它取代了进站时的版本
    当 用人单位扫描进站时的旧二维码
    那么 响应状态码为 422
    而且 核验结果为无效
    而且 检查 "status" 的结果为 "failed"，代码为 "STATUS_SUPERSEDED"
    而且 回答给出现行版本的链接
    当 用人单位扫描出站后的新二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的在站状态为 "出站"（"Completed (left the station)"），出站日期 "2026-08-31"

  场景: 博士后退站，旧二维码显示已被新版本取代
    假如 博士后工作站总站已登记林雨桐进站
    当 博士后工作站总站为林雨桐办理退站，退站日期 "2025-12-31"
    那么 响应状态码为 201
    而且 新版本的凭证写明它取代了进站时的版本
    当 用人单位扫描进站时的旧二维码
    那么 响应状态码为 422
    而且 核验结果为无效
    而且 检查 "status" 的结果为 "failed"，代码为 "STATUS_SUPERSEDED"
    而且 回答给出现行版本的链接
    当 用人单位扫描退站后的新二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的在站状态为 "退站"（"Withdrawn"），出站日期 "2025-12-31"

  场景: 仍有有效的在站记录时另发出站记录，被拒绝并提示修订在站记录
    假如 博士后工作站总站已登记林雨桐进站
    当 博士后工作站总站不修订在站记录，另发一份林雨桐 "出站" 的新记录，出站日期 "2026-08-31"
    那么 响应状态码为 409
    而且 错误代码为 "POSTDOC_ACTIVE_AFFILIATION"，指向 "/credential/credentialSubject/postdocAffiliation/state"
    而且 错误说明提示修订在站记录

  场景: 出站是最终状态，不能修订回在站
    假如 博士后工作站总站已登记林雨桐进站
    当 博士后工作站总站为林雨桐办理出站，出站日期 "2026-08-31"
    那么 响应状态码为 201
    当 博士后工作站总站把出站后的记录修订回 "在站"
    那么 响应状态码为 409
    而且 错误代码为 "POSTDOC_STATE_FINAL"，指向 "/credential/credentialSubject/postdocAffiliation/state"
    而且 出站后的记录仍然有效，在站状态仍为 "出站"

  场景: 出站却没有出站日期，申请被拒绝
    假如 博士后工作站总站已登记林雨桐进站
    当 博士后工作站总站为林雨桐办理出站，却没有填写出站日期
    那么 响应状态码为 422
    而且 错误代码为 "CREDENTIAL_SCHEMA_INVALID"，指向 "/credential/credentialSubject/postdocAffiliation/exitDate"

# language: zh-CN
功能: 上海市海外人才居住证：在示范区任何地方工作的海外人才都可持证
  Overseas-talent residence permits: the Qingpu bureau issues Shanghai's permit to a
  foreign engineer working in Wujiang, and a dependant's permit to his spouse that points
  to his; an employer scans the permit, a partner system queries it.

  场景: 青浦区人社局为在吴江工作的海外人才签发居住证主证
    当 青浦区人社局为 "Lukas Becker" 申请海外人才居住证主证，有效期自 "2026-03-01" 至 "2031-02-28"
    那么 响应状态码为 201
    而且 凭证类型为 "ResidencePermitCredential"
    而且 凭证中的护照号码只以遮蔽形式 "*******01" 出现
    而且 二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码

  场景: 有效期超过五年的居住证申请被拒绝，什么也不存
    当 青浦区人社局为 "Lukas Becker" 申请海外人才居住证主证，有效期自 "2026-03-01" 至 "2031-03-02"
    那么 响应状态码为 422
    而且 错误代码为 "PERMIT_VALIDITY_OUT_OF_RANGE"，指向 "/credential/credentialSubject/residencePermit/validUntil"
    而且 登记系统中没有新增记录

  场景: 配偶的随员证指向主证记录
    假如 青浦区人社局已为 Lukas Becker 签发居住证主证
    当 青浦区人社局为其配偶 "Anna Becker" 申请随员证，指向该主证记录
    那么 响应状态码为 201
    而且 随员证记录指向 Lukas Becker 的主证记录

  场景: 随员证指向本系统没有的主证记录，被拒绝
    当 青浦区人社局为其配偶 "Anna Becker" 申请随员证，指向一条不存在的记录
    那么 响应状态码为 422
    而且 错误代码为 "PRINCIPAL_PERMIT_UNKNOWN"，指向 "/credential/credentialSubject/residencePermit/principalRecord"

  场景: 吴江的用人单位扫码核验居住证
    假如 青浦区人社局已为 Lukas Becker 签发居住证主证
    当 用人单位扫描证书二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的姓名为 "L**** B*****"
    而且 显示的持证身份为 "主证"（"Principal"），居住证有效期至 "2031-02-28"
    而且 回答中没有类别、居住证号码、工作单位、国籍和护照，也没有持证人的全名

  场景: 青浦的伙伴系统通过接口查询居住证
    假如 青浦区人社局已为 Lukas Becker 签发居住证主证
    当 青浦区的伙伴系统以事由 "海外人才居住证待遇核查" 提交证书的二维码链接
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 伙伴系统还看到类别 "A"（"Category A"）、居住证号码 "DEMO-SHRP-2026-0001" 和工作单位 "吴江演示精密机械有限公司"
    而且 伙伴系统看到的护照号码只是遮蔽形式 "*******01"

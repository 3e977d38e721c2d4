# language: zh-CN
功能: 职业资格证书：嘉善签发，三省（市）通用
  Vocational qualifications: the Jiashan bureau records a second-class constructor
  qualification (二级建造师), which the three provinces share (one exam, one certificate);
  an employer scans it, a partner system queries it.

  场景: 嘉善县人社局签发二级建造师职业资格证书
    当 嘉善县人社局用签发令牌为陈晓梅申请 "二级建造师" 职业资格，等级 "二级"，类别 "准入类"，专业 "建筑工程"
    那么 响应状态码为 201
    而且 凭证类型为 "VocationalQualificationCredential"
    而且 凭证写明该职业资格三省（市）通用
    而且 二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码

  场景: 用人单位扫码核验职业资格
    假如 嘉善县人社局已为陈晓梅签发二级建造师职业资格证书
    当 用人单位扫描证书二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的姓名为 "陈*梅"
    而且 显示的职业资格为 "二级建造师"（"Constructor, second class"），等级 "二级"，类别 "准入类"，专业 "建筑工程"
    而且 显示的发证机关为 "浙江省住房和城乡建设厅"，并注明三省（市）证书通用
    而且 回答中没有证书编号和注册编号，也没有陈晓梅的全名和身份证号码

  场景: 吴江的伙伴系统通过接口核验职业资格
    假如 嘉善县人社局已为陈晓梅签发二级建造师职业资格证书
    当 吴江区 320509 的伙伴系统以事由 "建筑施工企业注册人员核查" 提交证书的二维码链接
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 回答中的职业资格为 "二级建造师"，发证机关为 "浙江省住房和城乡建设厅"
    而且 伙伴系统还看到证书编号 "DEMO-ZJ-JZS-2024-0042" 和注册编号 "浙演示243000042"
    而且 回答中没有陈晓梅的身份证号码

  场景: 等级与职业资格不符的申请被拒绝，什么也不存
    当 嘉善县人社局用签发令牌为陈晓梅申请 "二级建造师" 职业资格，等级 "一级"，类别 "准入类"，专业 "建筑工程"
    那么 响应状态码为 422
    而且 错误代码为 "QUALIFICATION_LEVEL_MISMATCH"，指向 "/credential/credentialSubject/vocationalQualification/level"

# language: zh-CN
功能: 继续教育学时：在青浦和嘉善取得的学时，在吴江合并计算
  Continuing-education hours: Li Siyuan works in Wujiang and earned his 2024 hours in
  Qingpu and in Jiashan. Each bureau records its part; a Wujiang partner system asks for
  his total and learns whether the national rule (90 hours a year, at least 60 of them
  professional) is met, and why.

  场景: 两地学时合并计算，达到全国标准
    当 青浦区人社局为李思远登记 2024 年继续教育学时：公需科目 30 学时，专业科目 24 学时
    那么 响应状态码为 201
    当 吴江区 320509 的伙伴系统以事由 "职称申报继续教育学时审核" 查询李思远 2024 年的学时
    那么 响应状态码为 200
    而且 合计 54 学时，其中专业科目 24 学时
    而且 未达到全国标准，原因代码为 "CE_TOTAL_SHORT" 与 "CE_PROFESSIONAL_SHORT"
    当 嘉善县人社局为李思远登记 2024 年继续教育学时：公需科目 12 学时，专业科目 42 学时
    那么 响应状态码为 201
    当 吴江区 320509 的伙伴系统以事由 "职称申报继续教育学时审核" 查询李思远 2024 年的学时
    那么 响应状态码为 200
    而且 合计 108 学时，其中专业科目 66 学时
    而且 按地区：青浦区 54 学时，嘉善县 54 学时
    而且 达到全国标准（每年 90 学时，专业科目不少于 60 学时），原因代码为 "CE_TOTAL_MET" 与 "CE_PROFESSIONAL_MET"
    而且 回答中没有李思远的身份证号码

  场景: 吴江的用人单位扫码查看学时证明，课程与施教机构不公开
    当 青浦区人社局为李思远登记 2024 年继续教育学时：公需科目 30 学时，专业科目 24 学时
    而且 吴江的用人单位扫描这份学时证明的二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示 2024 年公需科目 30 学时、专业科目 24 学时，认可地区为青浦区、吴江区、嘉善县
    而且 回答中没有课程名称和施教机构

  场景: 所列课程学时与所填学时不符的登记被拒绝
    当 青浦区人社局为李思远登记 2024 年继续教育学时，所填专业科目 30 学时而所列专业课程只有 24 学时
    那么 响应状态码为 422
    而且 错误代码为 "CE_HOURS_MISMATCH"，指向 "/credential/credentialSubject/continuingEducation/professionalHours"

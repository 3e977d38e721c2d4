# language: zh-CN
功能: 境外职业资格比照认定：按版本化目录认定
  Foreign-qualification equivalence: an administrator imports a catalogue of foreign
  professional qualifications, each mapped to a domestic title series, level and specialty,
  as a new version (CSV from the command line, XLSX through the API). A bureau records an
  equivalence that names catalogue, version and item; an employer scans it, and a partner
  region queries it through the API and is told it is recognised there. A record naming an
  item the catalogue version lacks, or mapping it differently, is refused.

  场景: 管理员用命令行导入 CSV 目录，再通过接口上传 XLSX 新版本
    当 管理员运行 registry catalogue import 导入 CSV 目录 "SH-FQ" 版本 "2024.1"
    那么 命令退出码为 0
    而且 命令报告导入了 4 个条目，并报告已读取的行数
    当 管理员通过接口上传 XLSX 目录 "SH-FQ" 版本 "2025.1"
    那么 响应状态码为 201
    而且 目录 "SH-FQ" 有 "2024.1" 与 "2025.1" 两个版本，"2024.1" 版仍是原来的 4 个条目

  场景: 有错误行的目录文件整体被拒绝
    当 管理员运行 registry catalogue import 导入有错误的 CSV 目录 "SH-FQ" 版本 "2024.1"
    那么 命令退出码为 2
    而且 命令指出第 4 行“条目编号”列与第 2 行重复，第 2 行“对应级别”列不在代码表中
    而且 目录 "SH-FQ" 没有任何版本

  场景: 青浦区人社局签发比照认定记录，用人单位扫码核验
    当 青浦区人社局为张丽娟申请比照认定：目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-002"，对应 "工程技术" "中级" "电气工程"
    那么 响应状态码为 201
    而且 二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码
    当 用人单位扫描证书二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-002"，对应 "工程技术"（"Engineering"）"中级" "电气工程"
    而且 回答中没有境外职业资格名称、颁证机构和证书编号

  场景: 吴江的伙伴系统通过接口查询比照认定记录，依据示范区互认办法认可
    当 青浦区人社局为张丽娟申请比照认定：目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-002"，对应 "工程技术" "中级" "电气工程"
    那么 响应状态码为 201
    当 吴江区 320509 的伙伴系统以事由 "人才引进资格审核" 提交证书的二维码链接
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-002"，对应 "工程技术"（"Engineering"）"中级" "电气工程"
    而且 检查 "recognition" 的结果为 "passed"，代码为 "RECOGNITION_AGREEMENT"
    而且 互认检查针对吴江区 "320509"，依据互认协议 "YRDZ-MR-2020"，目录条目 "DEMO-FQ:ENG-002" 在吴江同样适用
    而且 伙伴系统还看到境外职业资格名称、颁证机构、证书编号和认定文号
    而且 回答中没有张丽娟的身份证号码

  场景: 目录版本中不存在的条目被拒绝
    当 青浦区人社局为张丽娟申请比照认定：目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-999"，对应 "工程技术" "中级" "电气工程"
    那么 响应状态码为 422
    而且 错误代码为 "CATALOGUE_ITEM_UNKNOWN"，指向 "/credential/credentialSubject/qualificationEquivalence/item"

  场景: 对应级别与目录条目不一致被拒绝
    当 青浦区人社局为张丽娟申请比照认定：目录 "DEMO-FQ" 版本 "2025.1" 条目 "ENG-002"，对应 "工程技术" "副高级" "电气工程"
    那么 响应状态码为 422
    而且 错误代码为 "EQUIVALENCE_MAPPING_MISMATCH"，指向 "/credential/credentialSubject/qualificationEquivalence/mappedLevel"

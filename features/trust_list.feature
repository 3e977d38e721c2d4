# language: zh-CN
功能: 信任列表：导入另一登记系统的信任列表，离线核验它的证书
  Trust lists: a registry imports another registry's signed trust list, pinned by the
  fingerprint of its root key, and then checks that registry's records, online and offline.

  广州的登记系统（另一套系统，自己的数据库、根密钥和人社局）签发一份职称证书并导出信任列表；
  本登记系统凭广州公布的根密钥指纹导入后，就能核验广州的证书。指纹不符、序号回退都会被拒绝；
  离线核验员缓存的信任列表超过 24 小时给出警告，超过 7 天不再认定任何证书有效。
  证书的状态要看广州人社局发布的撤销与暂扣状态列表：离线核验员带上这两份列表，广州的证书核验为有效；
  本系统的接口没有广州的状态列表，所以回答是"无法核实状态"，不是"有效"。

  背景:
    假如 广州登记系统已为其人社局签发一份职称证书，导出了信任列表并公布了根密钥指纹

  场景: 用正确的指纹导入后，离线核验员凭信任列表和广州的状态列表核验其证书为有效
    当 本登记系统的管理员用广州公布的指纹导入这份信任列表
    那么 命令退出码为 0，输出以 "imported: https://talent.gz-demo.example.cn sequence 1" 开头
    假如 广州人社局发布了撤销与暂扣两份状态列表，离线核验员已取得
    当 离线核验员不连数据库，凭这份信任列表文件、指纹和两份状态列表核验广州证书的二维码链接
    那么 命令退出码为 0
    而且 命令输出的 JSON 中 verified 为 true
    而且 命令输出的 JSON 中检查 "trust_list" 为 "passed"，代码为 "TRUST_LIST_CURRENT"
    而且 命令输出的 JSON 中检查 "signature" 为 "passed"，代码为 "SIGNATURE_VALID"
    而且 命令输出的 JSON 中检查 "issuer_known" 为 "passed"，代码为 "ISSUER_KNOWN"
    而且 命令输出的 JSON 中检查 "key_valid" 为 "passed"，代码为 "KEY_VALID"
    而且 命令输出的 JSON 中检查 "status" 为 "passed"，代码为 "STATUS_ACTIVE"
    而且 离线核验没有创建任何数据库
    当 本登记系统的核验员在本地登记系统上不带信任列表文件，只凭两份状态列表核验广州证书的二维码链接
    那么 命令退出码为 0
    而且 命令输出的 JSON 中 verified 为 true
    而且 命令输出的 JSON 中检查 "issuer_known" 为 "passed"，代码为 "ISSUER_KNOWN"
    而且 命令输出的 JSON 中检查 "status" 为 "passed"，代码为 "STATUS_ACTIVE"

  场景: 本系统接口凭导入的信任列表核验广州证书，但没有广州的状态列表，回答无法核实状态
    当 本登记系统的管理员用广州公布的指纹导入这份信任列表
    当 嘉善县 330421 的伙伴系统以事由 "人才引进资格审核" 提交广州证书的二维码链接
    那么 响应状态码为 422
    而且 核验结果为无效
    而且 检查 "trust_list" 的结果为 "passed"，代码为 "TRUST_LIST_CURRENT"
    而且 检查 "signature" 的结果为 "passed"，代码为 "SIGNATURE_VALID"
    而且 检查 "issuer_known" 的结果为 "passed"，代码为 "ISSUER_KNOWN"
    而且 检查 "key_valid" 的结果为 "passed"，代码为 "KEY_VALID"
    而且 检查 "status" 的结果为 "unknown"，代码为 "STATUS_UNKNOWN"
    而且 问题详情列出检查 "status" 的代码 "STATUS_UNKNOWN"，并附中英文说明
    而且 回答中的签发机构为 "广州市人力资源和社会保障局（演示）"

  场景: 指纹不符时拒绝导入
    当 本登记系统的管理员用本系统自己的根密钥指纹导入广州的信任列表
    那么 命令退出码为 2，错误输出给出代码 "TRUST_LIST_PIN_MISMATCH" 与中英文说明
    而且 本登记系统没有导入任何信任列表

  场景: 拒绝序号更低的旧信任列表
    假如 广州登记系统为其人社局新增一把签名密钥后，导出了序号为 2 的信任列表
    而且 本登记系统已用广州公布的指纹导入序号为 2 的信任列表
    当 本登记系统的管理员再导入序号为 1 的旧信任列表
    那么 命令退出码为 2，错误输出给出代码 "TRUST_LIST_ROLLBACK" 与中英文说明
    而且 本登记系统保存的广州信任列表序号仍为 2

  场景: 缓存的信任列表超过 24 小时给出警告，超过 7 天不认定有效
    当 离线核验员在信任列表签发 25 小时后凭它核验广州证书的二维码链接
    那么 命令输出的 JSON 中检查 "trust_list" 为 "warning"，代码为 "TRUST_LIST_STALE"
    而且 命令输出的 JSON 的警告中有 "TRUST_LIST_STALE"，问题详情中没有
    当 离线核验员在信任列表签发 8 天后凭它核验广州证书的二维码链接
    那么 命令退出码为 1
    而且 命令输出的 JSON 中检查 "trust_list" 为 "failed"，代码为 "TRUST_LIST_EXPIRED"
    而且 命令输出的 JSON 中 verified 为 false，问题详情给出 "TRUST_LIST_EXPIRED" 与中英文说明

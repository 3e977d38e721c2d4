# language: zh-CN
功能: 离线核验：在命令行里核验证书
  Offline verification with the registry command: a QR link, a photo of the code, or the
  credential file. Exit code 0 means valid, 1 not valid.

  背景:
    假如 联合评审委员会已为吴江工程师李思远签发高级工程师职称证书

  场景: 核验二维码链接
    当 运行 registry verify 并给出证书的二维码链接
    那么 命令退出码为 0
    而且 命令输出的第一行为 "VALID / 有效"
    而且 命令输出包含 "李*远" 与 "高级工程师 (Senior Engineer)"
    而且 命令输出中既没有李思远的全名，也没有他的身份证号码

  场景: 改动一个字符后离线核验
    当 二维码签名部分的一个字符被改成 base32 字母表中的另一个字符
    而且 运行 registry verify 并给出改动后的二维码链接
    那么 命令退出码为 1
    而且 命令输出的第一行为 "NOT VALID / 无效"
    而且 命令输出包含 "SIGNATURE_INVALID" 与 "签名无效"

  场景: 核验二维码图片
    当 联合评审委员会用签发令牌下载证书的二维码图片
    而且 运行 registry verify 并给出这张图片
    那么 命令退出码为 0
    而且 命令输出的第一行为 "VALID / 有效"

  场景: 核验凭证文件并以 JSON 输出
    当 把签发的凭证保存为 JSON 文件
    而且 运行 registry verify --json 并给出这个文件
    那么 命令退出码为 0
    而且 输出的 JSON 中 verified 为 true，来源为 "credential"
    而且 输出的 JSON 中检查 "proof_set" 的代码为 "PROOF_SET_COMPLETE"

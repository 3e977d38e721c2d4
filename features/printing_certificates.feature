# language: zh-CN
功能: 打印证书：从评审批次到持证人手中的证书
  Printing certificates: after a review session, the Qingpu bureau downloads the session's
  certificates as one ZIP (one sealed PDF per record issued, and an index naming each file),
  an employer scans the QR code printed on one of them and finds it valid, and the holder
  downloads the same certificate from their own link. No ID number is on any of them, and no
  other bureau can download the session.

  青浦区人社局签发一个评审批次后，下载整批证书：每份已签发的证书一个加盖电子签名的 PDF，
  索引列明每行的姓名、证书编号和文件名；被拒绝的一项没有证书。用人单位扫描打印件上的二维码，
  核验有效；持证人用自己的链接下载到同一份证书。证书上没有任何身份证号码，别的人社局下载不到。

  背景:
    假如 青浦区人社局通过接口以批次键 "2026-qp-print-1" 签发 3 名工程师的职称，其中第 2 项身份证号码校验码写错

  场景: 下载整批证书，扫描打印件上的二维码核验有效
    当 青浦区人社局下载批次 "2026-qp-print-1" 的证书压缩包
    那么 压缩包内有 2 份证书 PDF 和一份索引
    而且 索引逐行列出第 0、2 项的姓名、证书编号和文件名
    而且 每份证书都由青浦区人社局以其信任列表中的密钥电子签名
    而且 证书中没有任何身份证号码
    当 用人单位扫描第一份证书打印件上的二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"

  场景: 持证人用自己的链接下载证书，别的人社局下载不到这个批次
    当 青浦区人社局为第一份证书生成持证人链接
    而且 持证人用链接下载证书
    那么 持证人下载到写有本人姓名、加盖电子签名的证书 PDF
    当 吴江区人社局下载批次 "2026-qp-print-1" 的证书压缩包
    那么 响应状态码为 404

# language: zh-CN
功能: 评审委员会控制台：从评审批次表格到证书
  The committee console: a Qingpu bureau clerk signs in with the bureau's API token, uploads
  the review session's sheet, watches it run, reads which rows were refused (row, column,
  what was wrong, what is allowed), fixes them, uploads the sheet again under the same session
  key (nothing is issued twice), downloads the results and the certificates, and revokes a record issued by
  mistake; all in a real browser.

  青浦区人社局的经办人用本局的访问令牌登录控制台，上传评审批次表格，看着它逐行签发；有错的
  行在结果表中写明行号、列名、错在哪里和允许的取值。改正后用同一批次键重新上传，已签发的行
  不再签发。经办人下载结果文件和证书压缩包，并撤销一份误发的证书，用人单位扫码看到它已撤销。

  背景:
    假如 青浦区人社局的经办人在浏览器中用本局的访问令牌登录控制台

  场景: 有错行的批次：改正后重传只签发改正的行，误发的证书被撤销
    当 经办人以批次键 "2026-qp-console-1" 上传 4 名工程师的表格，其中第 3 行身份证号码校验码写错，第 5 行级别写成 "特级"
    那么 页面显示签发进度，完成后显示新签发 2 份，拒绝 2 份
    而且 结果表写明第 3 行 "idNumber" 列与第 5 行 "professionalTitle.level" 列的问题
    而且 页面上没有任何身份证号码
    当 经办人改正这两行后以同一批次键重新上传
    那么 页面显示新签发 2 份，此前已签发 2 份，拒绝 0 份
    而且 经办人下载的结果文件逐行为 "issued、issued、issued、issued"
    而且 经办人下载的证书压缩包中有 4 份证书 PDF 和 index.csv
    当 经办人打开第 2 行的记录，以 "data_error" 为由撤销它
    那么 记录页显示状态为撤销，历史中有这次撤销
    而且 用人单位扫描这份证书的二维码，核验结果为无效，证书状态为 "revoked"

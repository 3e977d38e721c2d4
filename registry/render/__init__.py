"""Image output and input: QR codes drawn as PNG/SVG and read back from photos.

The only ring that imports image libraries (qrcode, Pillow, zxing-cpp).
"""
